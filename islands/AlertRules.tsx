import { comparatorWords } from "../server/alerts/rule_state.ts";
import { ruleMetricWords, sayMetricValue, sayRuleCondition } from "../server/alerts/rule_words.ts";
import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Badge, SeverityBadge, type Tone } from "../components/Badge.tsx";
import { FormMessage, InputField, SelectField } from "../components/Field.tsx";
import { type FieldErrors, serverErrorOf } from "../components/form_errors.ts";
import { currentStoreFormat, formatDateTime } from "../server/shared/format.ts";

/** An alert rule as the router lists it (Dates intact). */
export type AlertRuleRow = RouterOutputs["alerts"]["rules"]["list"]["items"][number];

export interface AlertRulesProps {
  rules: AlertRuleRow[];
  /** managers create, switch off and delete rules */
  canEdit: boolean;
}

/** The metrics the form offers (units and rates need a scope, made over the API). */
const formMetrics = (Object.keys(ruleMetricWords) as (keyof typeof ruleMetricWords)[])
  .filter((metric) => !ruleMetricWords[metric].apiOnly);

function isMoney(metric: string): boolean {
  return ruleMetricWords[metric as keyof typeof ruleMetricWords]?.kind === "money";
}

const stateTones: Record<string, Tone> = { ok: "good", pending: "warn", firing: "bad", cooldown: "info" };

/** Alert rules: a metric over a window against a threshold; managers add, switch off and delete them. */
/** The comparisons in words; the values are what the API takes. */
const comparatorChoices = Object.entries(comparatorWords).map(([value, label]) => ({ value, label }));

export default function AlertRules(props: AlertRulesProps) {
  const [rules, setRules] = useState(props.rules);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: "ok", text: await action() });
      setErrors({});
      return true;
    } catch (error) {
      const failure = serverErrorOf(error);
      setErrors(failure.fields);
      setMessage({ kind: "error", text: failure.message });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const metric = String(data.get("metric"));
    const threshold = Number(data.get("threshold"));
    const ok = await run(async () => {
      const rule = await browserClient().alerts.rules.create.mutate({
        name: String(data.get("name")),
        metric: metric as "orders",
        comparator: String(data.get("comparator")) as ">",
        // money is entered in pounds and stored in cents
        threshold: isMoney(metric) ? Math.round(threshold * 100) : threshold,
        windowMinutes: Number(data.get("windowMinutes")),
        severity: String(data.get("severity")) as "high",
        pendingSeconds: Number(data.get("pendingMinutes")) * 60,
        cooldownSeconds: Number(data.get("cooldownMinutes")) * 60,
      });
      setRules((all) => [...all, rule]);
      return `Added the rule “${rule.name}”`;
    });
    if (ok) form.reset();
  }

  function toggle(rule: AlertRuleRow) {
    run(async () => {
      const updated = await browserClient().alerts.rules.update.mutate({
        id: rule.id,
        enabled: !rule.enabled,
      });
      setRules((all) => all.map((r) => r.id === rule.id ? updated : r));
      return `${updated.enabled ? "Enabled" : "Disabled"} “${rule.name}”`;
    });
  }

  function remove(rule: AlertRuleRow) {
    if (!globalThis.confirm?.(`Delete the rule “${rule.name}”? Alerts it raised stay.`)) return;
    run(async () => {
      await browserClient().alerts.rules.delete.mutate({ id: rule.id });
      setRules((all) => all.filter((r) => r.id !== rule.id));
      return `Deleted “${rule.name}”`;
    });
  }

  return (
    <div class="alert-rules">
      <div aria-live="polite">
        {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      </div>
      {rules.length === 0
        ? (
          <div class="state state-empty">
            <p class="state-title">No rules yet</p>
            <p>A rule raises an alert when a metric crosses a threshold for a while.</p>
          </div>
        )
        : (
          <ul class="rule-list" data-testid="alert-rules">
            {rules.map((rule) => (
              <li key={rule.id} class={rule.enabled ? undefined : "rule-off"}>
                <div class="rule-head">
                  <strong>{rule.name}</strong>
                  <Badge tone={rule.enabled ? stateTones[rule.state] ?? "neutral" : "neutral"} dot>
                    {rule.enabled ? rule.state : "off"}
                  </Badge>
                </div>
                <p class="rule-condition">{sayRuleCondition(rule)}</p>
                <div class="rule-foot">
                  <SeverityBadge severity={rule.severity} />
                  <span class="muted">
                    {rule.lastValue === null
                      ? "not evaluated yet"
                      : `now ${sayMetricValue(rule.metric, rule.lastValue)}${
                        rule.lastEvaluatedAt ? ` · ${formatDateTime(rule.lastEvaluatedAt)}` : ""
                      }`}
                  </span>
                  {props.canEdit && (
                    <span class="rule-actions">
                      <button type="button" class="link" disabled={busy} onClick={() => toggle(rule)}>
                        {rule.enabled ? "Disable" : "Enable"}
                      </button>
                      <button type="button" class="link" disabled={busy} onClick={() => remove(rule)}>
                        Delete
                      </button>
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      {props.canEdit && (
        <details class="rule-form-wrap">
          <summary class="button small">New rule</summary>
          <form class="rule-form" onSubmit={create} data-testid="rule-form">
            <InputField
              label="Name"
              name="name"
              idPrefix="rule"
              required
              maxLength={120}
              error={errors.name}
            />
            <div class="rule-form-row">
              <SelectField
                label="Metric"
                name="metric"
                idPrefix="rule"
                options={formMetrics.map((value) => ({
                  value,
                  label: isMoney(value)
                    ? `${ruleMetricWords[value].label} (${currentStoreFormat().currencySymbol})`
                    : ruleMetricWords[value].label,
                }))}
                error={errors.metric}
              />
              <SelectField
                label="Is"
                name="comparator"
                idPrefix="rule"
                options={comparatorChoices}
                error={errors.comparator}
              />
              <InputField
                label="Threshold"
                name="threshold"
                idPrefix="rule"
                type="number"
                min={0}
                step="any"
                required
                error={errors.threshold}
              />
            </div>
            <div class="rule-form-row">
              <InputField
                label="Window (min)"
                name="windowMinutes"
                idPrefix="rule"
                type="number"
                min={1}
                max={10080}
                defaultValue={15}
                required
                error={errors.windowMinutes}
              />
              <InputField
                label="Pending (min)"
                name="pendingMinutes"
                idPrefix="rule"
                type="number"
                min={0}
                max={1440}
                defaultValue={0}
                hint="true this long first"
                error={errors.pendingSeconds}
              />
              <InputField
                label="Cooldown (min)"
                name="cooldownMinutes"
                idPrefix="rule"
                type="number"
                min={0}
                max={10080}
                defaultValue={15}
                error={errors.cooldownSeconds}
              />
            </div>
            <SelectField
              label="Severity"
              name="severity"
              idPrefix="rule"
              value="medium"
              options={["info", "low", "medium", "high", "critical"].map((value) => ({
                value,
                label: value,
              }))}
              error={errors.severity}
            />
            <div class="form-actions">
              <button type="submit" disabled={busy}>Add rule</button>
            </div>
          </form>
        </details>
      )}
    </div>
  );
}
