import type { Sql } from "../db/mod.ts";
import type { NewRuleSettings } from "./rule_queries.ts";

type DefaultRule = Omit<NewRuleSettings, "webhookUrl" | "webhookSecret" | "enabled">;

/**
 * The rules a new shop starts with, so the Alerts page watches what matters from the first minute:
 * stock (by the one running-low rule), sales against the same hour last week, a burst of suspicious
 * orders, and background jobs that failed. Managers edit or delete them like any other rule.
 */
export const defaultAlertRules: readonly DefaultRule[] = [
  {
    name: "Out of stock",
    metric: "out_of_stock_products",
    comparator: ">",
    threshold: 0,
    windowMinutes: 60,
    severity: "critical",
    pendingSeconds: 0,
    cooldownSeconds: 3_600,
  },
  {
    name: "Low stock: critical",
    metric: "critical_stock_products",
    comparator: ">",
    threshold: 0,
    windowMinutes: 60,
    severity: "high",
    pendingSeconds: 0,
    cooldownSeconds: 3_600,
  },
  {
    name: "Low stock: many products",
    metric: "low_stock_products",
    comparator: ">=",
    threshold: 10,
    windowMinutes: 60,
    severity: "medium",
    pendingSeconds: 0,
    cooldownSeconds: 3_600,
  },
  {
    name: "Sales drop against the same hour last week",
    metric: "revenue_drop_vs_last_week_pct",
    comparator: ">=",
    threshold: 50,
    windowMinutes: 60,
    severity: "high",
    // one quiet quarter of an hour is not a drop
    pendingSeconds: 900,
    cooldownSeconds: 3_600,
  },
  {
    name: "Fraud spike",
    metric: "suspicious_transactions",
    comparator: ">=",
    threshold: 5,
    windowMinutes: 60,
    severity: "high",
    pendingSeconds: 0,
    cooldownSeconds: 1_800,
  },
  {
    name: "Job failure",
    metric: "failed_job_runs",
    comparator: ">",
    threshold: 0,
    windowMinutes: 60,
    severity: "medium",
    pendingSeconds: 0,
    cooldownSeconds: 3_600,
  },
];

/**
 * Creates the default rules when the shop has none (called at the first start, right after the
 * sample import, so a shop whose managers deleted them later keeps that choice); returns how many
 * were created.
 */
export async function ensureDefaultAlertRules(sql: Sql): Promise<number> {
  return await sql.begin(async (tx) => {
    // Two instances starting together must not both create them
    await tx`select pg_advisory_xact_lock(hashtextextended('default-alert-rules', 0))`;
    const [{ count }] = await tx<[{ count: number }]>`select count(*)::int as count from alert_rules`;
    if (count > 0) return 0;
    const rows = defaultAlertRules.map((rule) => ({
      name: rule.name,
      metric: rule.metric,
      comparator: rule.comparator,
      threshold: rule.threshold,
      window_minutes: rule.windowMinutes,
      severity: rule.severity,
      pending_seconds: rule.pendingSeconds,
      cooldown_seconds: rule.cooldownSeconds,
      created_by: "first start",
    }));
    await tx`insert into alert_rules ${
      tx(
        rows,
        "name",
        "metric",
        "comparator",
        "threshold",
        "window_minutes",
        "severity",
        "pending_seconds",
        "cooldown_seconds",
        "created_by",
      )
    }`;
    return rows.length;
  });
}
