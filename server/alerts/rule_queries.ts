import { TRPCError } from "@trpc/server";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { AlertSeverity } from "./alert_queries.ts";
import type { Comparator, RuleStateName } from "./rule_state.ts";
import { planProducts } from "../inventory/reorder_planning.ts";
import { isRunningShort } from "../inventory/reorder_plan.ts";

export const ruleMetrics = [
  "revenue_cents",
  "orders",
  "average_order_cents",
  "suspicious_transactions",
  "refunded_transactions",
  "low_stock_products",
  "out_of_stock_products",
  "critical_stock_products",
  "revenue_drop_vs_last_week_pct",
  "failed_job_runs",
  "units",
  "fraud_rate",
  "refund_rate",
] as const;
export type RuleMetric = (typeof ruleMetrics)[number];

/** The part of the shop a rule measures, and what its value is compared with (server/alerts/scoped_metrics.ts). */
export const ruleScopeTypes = ["shop", "category", "product", "payment_method"] as const;
export type RuleScopeType = (typeof ruleScopeTypes)[number];
export const ruleComparisons = ["absolute", "previous_window", "same_window_last_week"] as const;
export type RuleComparison = (typeof ruleComparisons)[number];

/** The settings of a rule, as created and edited through the API. */
export interface RuleSettings {
  name: string;
  metric: RuleMetric;
  comparator: Comparator;
  threshold: number;
  windowMinutes: number;
  severity: AlertSeverity;
  pendingSeconds: number;
  cooldownSeconds: number;
  enabled: boolean;
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** the part of the shop measured (server/alerts/scoped_metrics.ts); "shop" with a null value = all */
  scopeType: RuleScopeType;
  scopeValue: string | null;
  /** "absolute": the value; otherwise its % change against the previous window or last week's */
  compareTo: RuleComparison;
}

type ScopeSettings = "scopeType" | "scopeValue" | "compareTo";
/** Settings of a new rule: without a scope it measures the whole shop, absolutely. */
export type NewRuleSettings = Omit<RuleSettings, ScopeSettings> & Partial<Pick<RuleSettings, ScopeSettings>>;

/** A rule with its evaluation state; the webhook secret never leaves the server. */
export interface RuleRow extends Omit<RuleSettings, "webhookSecret"> {
  id: number;
  hasWebhookSecret: boolean;
  state: RuleStateName;
  stateSince: Date | null;
  cooldownUntil: Date | null;
  alertId: number | null;
  lastValue: number | null;
  lastEvaluatedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Queryable = Sql | TransactionSql;

const ruleColumns = (sql: Queryable) =>
  sql`
  id, name, metric, comparator, threshold, window_minutes as "windowMinutes", severity,
  pending_seconds as "pendingSeconds", cooldown_seconds as "cooldownSeconds", enabled,
  webhook_url as "webhookUrl", webhook_secret is not null as "hasWebhookSecret", state,
  state_since as "stateSince", cooldown_until as "cooldownUntil", alert_id as "alertId",
  last_value as "lastValue", last_evaluated_at as "lastEvaluatedAt", created_by as "createdBy",
  created_at as "createdAt", updated_at as "updatedAt", scope_type as "scopeType", scope_value as "scopeValue",
  compare_to as "compareTo"`;

function duplicateName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "23505") {
    throw new TRPCError({ code: "CONFLICT", message: `An alert rule named "${name}" already exists` });
  }
  throw error;
}

/** All rules, by id. */
export async function listRules(sql: Sql): Promise<RuleRow[]> {
  return await sql<RuleRow[]>`select ${ruleColumns(sql)} from alert_rules order by id`;
}

/** One rule; NOT_FOUND when there is none. */
export async function getRule(sql: Queryable, id: number): Promise<RuleRow> {
  const [row] = await sql<[RuleRow?]>`select ${ruleColumns(sql)} from alert_rules where id = ${id}`;
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No alert rule with id ${id}` });
  return row;
}

/** Creates a rule; CONFLICT when the name is taken. */
export async function createRule(sql: Queryable, settings: NewRuleSettings, by: string): Promise<RuleRow> {
  try {
    const [row] = await sql<[RuleRow]>`
      insert into alert_rules (name, metric, comparator, threshold, window_minutes, severity, pending_seconds,
                               cooldown_seconds, enabled, webhook_url, webhook_secret, created_by, scope_type,
                               scope_value, compare_to)
      values (${settings.name}, ${settings.metric}, ${settings.comparator}, ${settings.threshold},
              ${settings.windowMinutes}, ${settings.severity}, ${settings.pendingSeconds}, ${settings.cooldownSeconds},
              ${settings.enabled}, ${settings.webhookUrl}, ${settings.webhookSecret}, ${by},
              ${settings.scopeType ?? "shop"}, ${settings.scopeValue ?? null}, ${
      settings.compareTo ?? "absolute"
    })
      returning ${ruleColumns(sql)}`;
    return row;
  } catch (error) {
    duplicateName(error, settings.name);
  }
}

const settingColumns: Record<keyof RuleSettings, string> = {
  name: "name",
  metric: "metric",
  comparator: "comparator",
  threshold: "threshold",
  windowMinutes: "window_minutes",
  severity: "severity",
  pendingSeconds: "pending_seconds",
  cooldownSeconds: "cooldown_seconds",
  enabled: "enabled",
  webhookUrl: "webhook_url",
  webhookSecret: "webhook_secret",
  scopeType: "scope_type",
  scopeValue: "scope_value",
  compareTo: "compare_to",
};

/**
 * Changes some settings of a rule. Changing what it measures (metric, comparator, threshold,
 * window) restarts its evaluation from "ok"; an alert it raised stays until resolved.
 */
export async function updateRule(
  sql: Queryable,
  id: number,
  changes: Partial<RuleSettings>,
): Promise<RuleRow> {
  const assignments = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) =>
      sql`${sql(settingColumns[key as keyof RuleSettings])} = ${value as string | number | boolean | null},`
    );
  const measures: (keyof RuleSettings)[] = [
    "metric",
    "comparator",
    "threshold",
    "windowMinutes",
    "scopeType",
    "scopeValue",
    "compareTo",
  ];
  const restarts = measures.some((key) => changes[key] !== undefined);
  try {
    const rows = await sql`
      update alert_rules
      set ${assignments.reduce((all, part) => sql`${all} ${part}`, sql``)}
          ${restarts ? sql`state = 'ok', state_since = null, cooldown_until = null,` : sql``}
          updated_at = now()
      where id = ${id}
      returning id`;
    if (rows.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: `No alert rule with id ${id}` });
  } catch (error) {
    if (error instanceof TRPCError) throw error;
    duplicateName(error, String(changes.name));
  }
  return await getRule(sql, id);
}

/** Deletes a rule (its alerts stay); NOT_FOUND when there is none. */
export async function deleteRule(sql: Queryable, id: number): Promise<RuleRow> {
  const rule = await getRule(sql, id);
  await sql`delete from alert_rules where id = ${id}`;
  return rule;
}

const shortProducts = new WeakMap<
  object,
  { at: number; timeZone: string; products: ReturnType<typeof planShortProducts> }
>();

/**
 * The products running short at `now`, planned once for every rule measured on the same connection or
 * transaction at the same moment: the three stock rules of one evaluation share one plan of every product.
 */
function productsRunningShort(sql: Queryable, now: Date, timeZone: string) {
  const known = shortProducts.get(sql);
  if (known && known.at === now.getTime() && known.timeZone === timeZone) return known.products;
  const products = planShortProducts(sql, now, timeZone);
  shortProducts.set(sql, { at: now.getTime(), timeZone, products });
  products.catch(() => shortProducts.delete(sql));
  return products;
}

async function planShortProducts(sql: Queryable, now: Date, timeZone: string) {
  return (await planProducts(sql, { timeZone, now })).filter(({ plan }) => isRunningShort(plan));
}

/** The current value of a metric over the trailing window ending at `now`. */
export async function measureMetric(
  sql: Queryable,
  metric: RuleMetric,
  windowMinutes: number,
  now: Date,
  options: { timeZone: string } = { timeZone: "UTC" },
): Promise<number> {
  const from = new Date(now.getTime() - windowMinutes * 60_000);
  if (
    metric === "low_stock_products" || metric === "out_of_stock_products" ||
    metric === "critical_stock_products"
  ) {
    // The one running-low rule (server/inventory/stock_alerts.ts), as the KPI and Inventory count it
    const short = await productsRunningShort(sql, now, options.timeZone);
    if (metric === "out_of_stock_products") return short.filter(({ product }) => product.stock <= 0).length;
    if (metric === "critical_stock_products") {
      return short.filter(({ plan }) => plan.urgency === "critical").length;
    }
    return short.length;
  }
  if (metric === "failed_job_runs") {
    const [row] = await sql<[{ value: number }]>`
      select count(*)::int as value from job_runs
      where status = 'failed' and finished_at >= ${from} and finished_at < ${now}`;
    return row.value;
  }
  if (metric === "revenue_drop_vs_last_week_pct") {
    const weekMs = 7 * 86_400_000;
    // two ranges of the created_at index: one filter over the whole span read the week between them,
    // every second while sales came in (the evaluator runs a second after them)
    const [row] = await sql<[{ current: number; lastWeek: number }]>`
      select (select coalesce(sum(total_cents - refunded_cents), 0) from transactions
                where status = 'completed' and created_at >= ${from} and created_at < ${now})::float8 as current,
             (select coalesce(sum(total_cents - refunded_cents), 0) from transactions
                where status = 'completed' and created_at >= ${new Date(from.getTime() - weekMs)}
                  and created_at < ${new Date(now.getTime() - weekMs)})::float8 as "lastWeek"`;
    return dropPercent(row.current, row.lastWeek);
  }
  if (metric === "refunded_transactions") {
    const [row] = await sql<[{ value: number }]>`
      select count(*)::bigint as value from transactions where refunded_at >= ${from} and refunded_at < ${now}`;
    return row.value;
  }
  const [row] = await sql<[{ orders: number; revenue: number; suspicious: number }]>`
    select count(*) filter (where status = 'completed')::bigint as orders,
           coalesce(sum(total_cents - refunded_cents) filter (where status = 'completed'), 0)::bigint as revenue,
           count(*) filter (where fraud_decision <> 'allow')::bigint as suspicious
    from transactions where created_at >= ${from} and created_at < ${now}`;
  switch (metric) {
    case "orders":
      return row.orders;
    case "revenue_cents":
      return row.revenue;
    case "average_order_cents":
      return row.orders ? Math.round(row.revenue / row.orders) : 0;
    case "suspicious_transactions":
      return row.suspicious;
    case "units":
    case "fraud_rate":
    case "refund_rate":
      // measured per scope by server/alerts/scoped_metrics.ts (measureRule), never here
      throw new Error(`${metric} is measured by measureScoped`);
  }
}

/**
 * How far revenue fell against the same window a week earlier, in whole percent; 0 when it rose or
 * when there was nothing to compare with (a new shop has no last week).
 * @example dropPercent(4_000, 10_000) // 60
 */
export function dropPercent(current: number, lastWeek: number): number {
  if (lastWeek <= 0) return 0;
  return Math.max(0, Math.round((1 - current / lastWeek) * 100));
}
