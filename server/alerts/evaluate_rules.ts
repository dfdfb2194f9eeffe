import type { AppEventType } from "../events/bus.ts";
import type { Services } from "../services.ts";
import { type AlertRow, publishAlert, raiseAlert } from "./alert_queries.ts";
import type { RuleMetric } from "./rule_queries.ts";
import {
  describeRuleCondition,
  measureRule,
  type RuleComparison,
  type RuleScopeType,
  scopeLabels,
} from "./scoped_metrics.ts";
import { sayMetricValue } from "./rule_words.ts";
import { breaches, type Comparator, type RuleStateName, stepRuleState } from "./rule_state.ts";
import { defaultDeliveryOptions, deliverAlertWebhooks, type DeliveryOptions } from "./webhook.ts";

type EvaluationDeps = Pick<Services, "db" | "bus" | "log" | "config">;

export interface EvaluationResult {
  evaluated: number;
  raised: number[];
  resolved: number[];
}

/**
 * Evaluates every enabled rule once at `now`: measures its metric, steps its state machine
 * (server/alerts/rule_state.ts), raises or resolves its one alert (dedupe key `rule:<id>`), and
 * stores the new state, all in one transaction. Rules another instance is evaluating at the same
 * moment are skipped (SKIP LOCKED), so instances never double-fire. Events go out after commit.
 */
export async function evaluateAlertRules(deps: EvaluationDeps, now = new Date()): Promise<EvaluationResult> {
  const changed: { alert: AlertRow; created: boolean }[] = [];
  const result: EvaluationResult = { evaluated: 0, raised: [], resolved: [] };
  await deps.db.sql.begin(async (tx) => {
    const rules = await tx<{
      id: number;
      name: string;
      metric: RuleMetric;
      comparator: Comparator;
      threshold: number;
      windowMinutes: number;
      severity: AlertRow["severity"];
      pendingSeconds: number;
      cooldownSeconds: number;
      state: RuleStateName;
      stateSince: Date | null;
      cooldownUntil: Date | null;
      alertId: number | null;
      alertStatus: string | null;
      alertResolvedAt: Date | null;
      scopeType: RuleScopeType;
      scopeValue: string | null;
      compareTo: RuleComparison;
    }[]>`
      select r.id, r.name, r.metric, r.comparator, r.threshold, r.window_minutes as "windowMinutes", r.severity,
             r.pending_seconds as "pendingSeconds", r.cooldown_seconds as "cooldownSeconds", r.state,
             r.state_since as "stateSince", r.cooldown_until as "cooldownUntil", r.alert_id as "alertId",
             a.status as "alertStatus", a.resolved_at as "alertResolvedAt", r.scope_type as "scopeType",
             r.scope_value as "scopeValue", r.compare_to as "compareTo"
      from alert_rules r left join alerts a on a.id = r.alert_id
      where r.enabled
      order by r.id
      for update of r skip locked`;
    for (const rule of rules) {
      result.evaluated += 1;
      const { value, current, baseline } = await measureRule(tx, rule, now, {
        timeZone: deps.config.STORE_TZ,
      });
      const { next, action } = stepRuleState(
        { state: rule.state, since: rule.stateSince, cooldownUntil: rule.cooldownUntil },
        {
          // a change against an empty baseline window cannot be judged
          breached: value !== null && breaches(value, rule.comparator, rule.threshold),
          now,
          // a deleted alert counts as resolved now
          alertOpen: rule.alertStatus !== null && rule.alertStatus !== "resolved",
          alertResolvedAt: rule.alertResolvedAt,
        },
        { pendingMs: rule.pendingSeconds * 1000, cooldownMs: rule.cooldownSeconds * 1000 },
      );
      let alertId = rule.alertId;
      if (action === "raise") {
        const raised = await raiseAlert(tx, {
          type: "rule",
          severity: rule.severity,
          ...describeRuleCondition(rule, { value, current, baseline }),
          entityType: "alert_rule",
          entityId: rule.id,
          dedupeKey: `rule:${rule.id}`,
          metadata: {
            ruleId: rule.id,
            metric: rule.metric,
            value,
            threshold: rule.threshold,
            ...scopeLabels(rule),
            ...(baseline === null ? {} : { current, baseline, compareTo: rule.compareTo }),
          },
          ruleId: rule.id,
        });
        alertId = raised.alert.id;
        changed.push(raised);
        result.raised.push(raised.alert.id);
      } else if (action === "resolve" && rule.alertId !== null) {
        const [resolved] = await tx<[AlertRow?]>`
          update alerts set status = 'resolved', resolved_at = ${now}, updated_at = now(),
                            resolution_note = ${`Condition cleared: value ${
          value === null ? "n/a" : sayMetricValue(rule.metric, value)
        }`}, snoozed_until = null
          where id = ${rule.alertId} and status <> 'resolved'
          returning id, type, severity, status, title, entity_type as "entityType", entity_id as "entityId",
                    dedupe_key as "dedupeKey"`;
        if (resolved) {
          changed.push({ alert: resolved, created: false });
          result.resolved.push(resolved.id);
        }
      }
      await tx`
        update alert_rules
        set state = ${next.state}, state_since = ${next.since}, cooldown_until = ${next.cooldownUntil},
            alert_id = ${alertId}, last_value = ${value}, last_evaluated_at = ${now}
        where id = ${rule.id}`;
    }
  });
  for (const item of changed) await publishAlert(deps.bus, item);
  return result;
}

/** Events after which a rule's metric may have moved. */
const triggers = new Set<AppEventType>([
  "transaction.created",
  "transaction.updated",
  "stock.changed",
  "product.changed",
]);

/**
 * Keeps alert rules evaluated and new alerts delivered on this instance: evaluates after events
 * that move a metric (at most once per `debounceMs`, since a busy shop sends hundreds a second)
 * and every `intervalMs` (a "sales dropped" rule must fire when nothing happens), and posts each
 * `alert.raised` to the webhooks (claimed in the database, so one instance posts it).
 * start.ts calls it once; the returned function stops it and waits for running work.
 */
export function startAlertRuleEvaluation(
  services: Services,
  options: { debounceMs?: number; intervalMs?: number; delivery?: DeliveryOptions } = {},
): () => Promise<void> {
  const debounceMs = options.debounceMs ?? 1_000;
  const { log } = services;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pending = new Set<Promise<unknown>>();

  function track(work: Promise<unknown>) {
    pending.add(work);
    work.finally(() => pending.delete(work));
  }

  function run() {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = evaluateAlertRules(services)
      .then(() => {}, (error) => log.error("alert rule evaluation failed", { error }))
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
    track(running);
  }

  function schedule() {
    if (timer === undefined && !stopped) timer = setTimeout(run, debounceMs);
  }

  // Only a rule's alert (the evaluator raises them about their `alert_rule`, and alone sets `rule_id`)
  // can have a rule's webhook: without a global webhook the others have no target, and need no read
  const mayHaveTarget = (data: { entityType: string | null }) =>
    Boolean(services.config.ALERT_WEBHOOK_URL) || data.entityType === "alert_rule";
  const unsubscribe = services.bus.subscribe((event) => {
    if (triggers.has(event.type)) schedule();
    if (event.type === "alert.raised" && mayHaveTarget(event.data)) {
      const { id } = event.data;
      track(
        deliverAlertWebhooks(
          {
            sql: services.db.sql,
            log,
            global: { url: services.config.ALERT_WEBHOOK_URL, secret: services.config.ALERT_WEBHOOK_SECRET },
          },
          id,
          { allowlist: services.config.OUTBOUND_ALLOWLIST, ...(options.delivery ?? defaultDeliveryOptions) },
        ).catch((error) => log.error("alert webhook delivery failed", { alertId: id, error })),
      );
    }
  });
  const interval = setInterval(schedule, options.intervalMs ?? 60_000);
  Deno.unrefTimer(interval);

  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(interval);
    if (timer !== undefined) clearTimeout(timer);
    await Promise.allSettled([...pending]);
  };
}
