/**
 * Alert rules in a shop's words: the one list of what each metric is called, and a rule's condition as a
 * sentence ("More than 0 products out of stock"). Stored rules keep their codes and symbols (`metric`,
 * `comparator`); only what pages and alerts say comes from here. Pure: the Alerts page's island and the
 * evaluator both use it.
 */
import { formatCents, formatCount } from "../shared/format.ts";
import { paymentMethodLabel } from "../shared/payment_labels.ts";
import type { RuleComparison, RuleMetric, RuleScopeType } from "./rule_queries.ts";
import { type Comparator, comparatorWords } from "./rule_state.ts";

/** How a metric is said: a count of things (`one`/`many`), an amount of money, a percentage, or the drop. */
export interface MetricWords {
  /** its name in the rules form's Metric list */
  label: string;
  kind: "count" | "money" | "percent" | "drop";
  /** for counts: the thing counted, one and many */
  one?: string;
  many?: string;
  /** measured as it stands when the rule is checked (stock), not over the rule's window */
  now?: boolean;
  /** made over the API only, with a scope or a baseline; the Alerts page's form does not offer it */
  apiOnly?: boolean;
}

export const ruleMetricWords: Record<RuleMetric, MetricWords> = {
  revenue_cents: { label: "Revenue", kind: "money" },
  orders: { label: "Orders", kind: "count", one: "order", many: "orders" },
  average_order_cents: { label: "Average order", kind: "money" },
  suspicious_transactions: {
    label: "Suspicious transactions",
    kind: "count",
    one: "suspicious sale",
    many: "suspicious sales",
  },
  refunded_transactions: { label: "Refunded transactions", kind: "count", one: "refund", many: "refunds" },
  low_stock_products: {
    label: "Low-stock products",
    kind: "count",
    one: "product running low",
    many: "products running low",
    now: true,
  },
  out_of_stock_products: {
    label: "Products out of stock",
    kind: "count",
    one: "product out of stock",
    many: "products out of stock",
    now: true,
  },
  critical_stock_products: {
    label: "Products critically short",
    kind: "count",
    one: "product critically short",
    many: "products critically short",
    now: true,
  },
  revenue_drop_vs_last_week_pct: { label: "Revenue drop vs last week (%)", kind: "drop" },
  failed_job_runs: {
    label: "Failed job runs",
    kind: "count",
    one: "failed background job",
    many: "failed background jobs",
  },
  units: { label: "Units sold", kind: "count", one: "unit sold", many: "units sold", apiOnly: true },
  fraud_rate: { label: "Fraud rate (%)", kind: "percent", apiOnly: true },
  refund_rate: { label: "Refund rate (%)", kind: "percent", apiOnly: true },
};

/** A metric's name; a code this list does not know as it is. */
export function metricLabel(metric: string): string {
  return ruleMetricWords[metric as RuleMetric]?.label.replace(/ \(%\)$/, "") ?? metric;
}

/** An amount of a metric as a person reads it: money in the shop's currency, counts grouped, rates with %. */
export function sayMetricValue(metric: string, value: number): string {
  const kind = ruleMetricWords[metric as RuleMetric]?.kind;
  if (kind === "money") return formatCents(value);
  if (kind === "percent" || kind === "drop") return `${formatCount(value)}%`;
  return formatCount(value);
}

const countLead: Record<Comparator, string> = {
  ">": "More than",
  ">=": "At least",
  "<": "Fewer than",
  "<=": "At most",
};
const byWords: Record<Comparator, string> = {
  ">": "more than",
  ">=": "at least",
  "<": "less than",
  "<=": "at most",
};

/** "the last hour", "the last 15 minutes", "the last 2 days". */
export function sayWindow(minutes: number): string {
  const plural = (n: number, word: string) => n === 1 ? `the last ${word}` : `the last ${n} ${word}s`;
  if (minutes % 1_440 === 0) return plural(minutes / 1_440, "day");
  if (minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** The fields of a rule its condition is read from (as stored and as the API lists them). */
export interface RuleCondition {
  metric: string;
  comparator: string;
  threshold: number;
  windowMinutes: number;
  pendingSeconds?: number;
  scopeType?: RuleScopeType;
  scopeValue?: string | null;
  compareTo?: RuleComparison;
}

function sayScope(rule: RuleCondition): string {
  if (!rule.scopeType || rule.scopeType === "shop" || !rule.scopeValue) return "";
  if (rule.scopeType === "payment_method") return ` paid by ${paymentMethodLabel(rule.scopeValue)}`;
  return ` in ${rule.scopeType} ${rule.scopeValue}`;
}

function sayChange(comparator: Comparator, threshold: number): string {
  // a change at or below -30% is a fall of at least 30%
  if ((comparator === "<" || comparator === "<=") && threshold <= 0) {
    return `down by ${comparator === "<" ? "more than" : "at least"} ${formatCount(-threshold)}%`;
  }
  if ((comparator === ">" || comparator === ">=") && threshold >= 0) {
    return `up by ${byWords[comparator]} ${formatCount(threshold)}%`;
  }
  return `changed ${comparatorWords[comparator]} ${formatCount(threshold)}%`;
}

/**
 * A rule's condition as a sentence staff understand.
 * @example sayRuleCondition({ metric: "out_of_stock_products", comparator: ">", threshold: 0, windowMinutes: 60 })
 * // "More than 0 products out of stock"
 */
export function sayRuleCondition(rule: RuleCondition): string {
  const words = ruleMetricWords[rule.metric as RuleMetric] ??
    { label: rule.metric, kind: "count", one: rule.metric, many: rule.metric };
  const comparator = (rule.comparator in comparatorWords ? rule.comparator : ">=") as Comparator;
  const scope = sayScope(rule);
  const window = sayWindow(rule.windowMinutes);
  const pendingMinutes = Math.round((rule.pendingSeconds ?? 0) / 60);
  const lasting = pendingMinutes > 0
    ? `, for ${pendingMinutes} minute${pendingMinutes === 1 ? "" : "s"} in a row`
    : "";
  const compareTo = rule.compareTo ?? "absolute";
  let sentence: string;
  if (compareTo !== "absolute") {
    const versus = compareTo === "previous_window"
      ? `the ${window.slice("the last ".length)} before`
      : "the same time last week";
    sentence = `${metricLabel(rule.metric)}${scope} in ${window} ${
      sayChange(comparator, rule.threshold)
    } against ${versus}`;
  } else if (words.kind === "drop") {
    sentence = `Revenue in ${window} ${byWords[comparator]} ${
      formatCount(rule.threshold)
    }% below the same time last week`;
  } else if (words.kind === "count") {
    const noun = rule.threshold === 1 ? words.one : words.many;
    sentence = `${countLead[comparator]} ${formatCount(rule.threshold)} ${noun}${scope}${
      words.now ? "" : ` in ${window}`
    }`;
  } else {
    sentence = `${metricLabel(rule.metric)}${scope} ${comparatorWords[comparator]} ${
      sayMetricValue(rule.metric, rule.threshold)
    } in ${window}`;
  }
  return sentence + lasting;
}
