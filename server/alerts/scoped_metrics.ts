import { sayMetricValue, sayRuleCondition } from "./rule_words.ts";
import type { Sql, TransactionSql } from "../db/mod.ts";
import { measureMetric, type RuleMetric } from "./rule_queries.ts";

type Queryable = Sql | TransactionSql;

import { type RuleComparison, ruleComparisons, type RuleScopeType, ruleScopeTypes } from "./rule_queries.ts";

export { type RuleComparison, ruleComparisons, type RuleScopeType, ruleScopeTypes };

/** Metrics measurable on a part of the shop and against an earlier window. */
export const scopedMetrics = [
  "revenue_cents",
  "orders",
  "units",
  "average_order_cents",
  "fraud_rate",
  "refund_rate",
] as const satisfies readonly RuleMetric[];
export type ScopedMetric = (typeof scopedMetrics)[number];

export function isScopedMetric(metric: RuleMetric): metric is ScopedMetric {
  return (scopedMetrics as readonly string[]).includes(metric);
}

export interface RuleMeasure {
  metric: RuleMetric;
  windowMinutes: number;
  scopeType: RuleScopeType;
  scopeValue: string | null;
  compareTo: RuleComparison;
}

const week = 7 * 24 * 60 * 60_000;

/**
 * The window compared against: the one just before, or the same hours a week earlier (so a Monday
 * morning is held against last Monday morning, not against Sunday night).
 */
export function baselineWindow(
  from: Date,
  to: Date,
  compareTo: Exclude<RuleComparison, "absolute">,
): { from: Date; to: Date } {
  const shift = compareTo === "previous_window" ? to.getTime() - from.getTime() : week;
  return { from: new Date(from.getTime() - shift), to: new Date(to.getTime() - shift) };
}

/** Change from `baseline` to `current` in percent, one decimal; null when there is no baseline. */
export function percentChange(current: number, baseline: number): number | null {
  if (baseline === 0) return null;
  return Math.round(((current - baseline) / baseline) * 1000) / 10;
}

/**
 * A metric over [from, to) on a part of the shop. Revenue of a category or product counts its
 * lines, not whole orders; orders are those with at least one line in scope. Rates are percent of
 * the transactions in scope (fraud: not allowed outright; refund: refunded of completed+refunded).
 */
export async function measureScoped(
  sql: Queryable,
  metric: ScopedMetric,
  scope: { type: RuleScopeType; value: string | null },
  from: Date,
  to: Date,
): Promise<number> {
  const [row] = await sql<
    [{
      orders: number;
      revenue: number;
      units: number;
      total: number;
      flagged: number;
      refunded: number;
      settled: number;
    }]
  >`
    with scoped as (
      select t.id, t.status, t.fraud_decision,
        case when ${scope.type} = 'shop' then max(t.total_cents - t.refunded_cents)
          else sum(ti.line_total_cents - ti.refunded_cents) end as revenue,
        sum(ti.quantity) as units
      from transactions t
      join transaction_items ti on ti.transaction_id = t.id
      join products p on p.id = ti.product_id
      where t.created_at >= ${from} and t.created_at < ${to}
        and (${scope.type} <> 'category' or p.category = ${scope.value})
        and (${scope.type} <> 'product' or p.sku = ${scope.value})
        and (${scope.type} <> 'payment_method' or t.payment_method = ${scope.value})
      group by t.id)
    select count(*) filter (where status = 'completed')::int as orders,
      coalesce(sum(revenue) filter (where status = 'completed'), 0)::bigint as revenue,
      coalesce(sum(units) filter (where status = 'completed'), 0)::bigint as units,
      count(*)::int as total,
      count(*) filter (where fraud_decision <> 'allow')::int as flagged,
      count(*) filter (where status = 'refunded')::int as refunded,
      count(*) filter (where status in ('completed', 'refunded'))::int as settled
    from scoped`;
  switch (metric) {
    case "orders":
      return row.orders;
    case "revenue_cents":
      return Number(row.revenue);
    case "units":
      return Number(row.units);
    case "average_order_cents":
      return row.orders ? Math.round(Number(row.revenue) / row.orders) : 0;
    case "fraud_rate":
      return row.total ? Math.round((row.flagged / row.total) * 1000) / 10 : 0;
    case "refund_rate":
      return row.settled ? Math.round((row.refunded / row.settled) * 1000) / 10 : 0;
  }
}

/**
 * What a rule compares with its threshold at `now`: the metric over the trailing window, or its
 * percent change against the baseline window (null when the baseline is zero: no change to judge).
 */
export async function measureRule(
  sql: Queryable,
  rule: RuleMeasure,
  now: Date,
  options: { timeZone: string } = { timeZone: "UTC" },
): Promise<{ value: number | null; current: number; baseline: number | null }> {
  const from = new Date(now.getTime() - rule.windowMinutes * 60_000);
  // the shop-wide metrics rules had before scopes keep their own measure (orders without lines count)
  const shopWide = rule.scopeType === "shop" && rule.compareTo === "absolute" &&
    !["units", "fraud_rate", "refund_rate"].includes(rule.metric);
  if (!isScopedMetric(rule.metric) || shopWide) {
    const current = await measureMetric(sql, rule.metric, rule.windowMinutes, now, options);
    return { value: current, current, baseline: null };
  }
  const scope = { type: rule.scopeType, value: rule.scopeValue };
  const current = await measureScoped(sql, rule.metric, scope, from, now);
  if (rule.compareTo === "absolute") return { value: current, current, baseline: null };
  const base = baselineWindow(from, now, rule.compareTo);
  const baseline = await measureScoped(sql, rule.metric, scope, base.from, base.to);
  return { value: percentChange(current, baseline), current, baseline };
}

/**
 * Title and message of a rule's alert: the title is the rule's name, said once; the message is its condition
 * as a sentence (server/alerts/rule_words.ts) and what was measured, e.g.
 * "Revenue in category GPU in the last hour down by at least 30% against the same time last week: £500.00
 * against £1,000.00 (-50%)".
 */
export function describeRuleCondition(
  rule: RuleMeasure & { name: string; comparator: string; threshold: number; pendingSeconds?: number },
  measured: { value: number | null; current: number; baseline: number | null },
): { title: string; message: string } {
  const condition = sayRuleCondition(rule);
  const show = (amount: number) => sayMetricValue(rule.metric, amount);
  if (rule.compareTo === "absolute") {
    return {
      title: rule.name,
      message: `${condition}: now ${measured.value === null ? "n/a" : show(measured.value)}`,
    };
  }
  const change = measured.value === null ? "n/a" : `${measured.value > 0 ? "+" : ""}${measured.value}%`;
  return {
    title: rule.name,
    message: `${condition}: ${show(measured.current)} against ${
      measured.baseline === null ? "n/a" : show(measured.baseline)
    } (${change})`,
  };
}

/** Labels a scoped rule's alert carries for notification routing (category, product). */
export function scopeLabels(rule: Pick<RuleMeasure, "scopeType" | "scopeValue">): Record<string, string> {
  if (rule.scopeType === "category" && rule.scopeValue) return { category: rule.scopeValue };
  if (rule.scopeType === "product" && rule.scopeValue) return { product: rule.scopeValue };
  if (rule.scopeType === "payment_method" && rule.scopeValue) return { paymentMethod: rule.scopeValue };
  return {};
}
