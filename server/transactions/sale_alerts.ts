import type { AlertOfNewRow, AlertSeverity } from "../alerts/alert_queries.ts";

/**
 * The alerts a sale raises, built as plain values before its write: the statement that writes the sale
 * raises them with it (`raiseAlertsOfNewRowsCte` in server/alerts/alert_queries.ts), filling in the
 * transaction's id, so a sale and its alert commit together.
 */

/** An alert a sale raises: always deduplicated, so one open alert per customer window. */
export type SaleAlert = AlertOfNewRow;

/** Severity of a fraud alert from the score: at the block threshold critical, halfway there high. */
export function fraudSeverity(score: number, thresholds: { review: number; block: number }): AlertSeverity {
  if (score >= thresholds.block) return "critical";
  if (score >= (thresholds.review + thresholds.block) / 2) return "high";
  return "medium";
}

/** Length of the window in which one customer's suspicious transactions share one alert. */
export const FRAUD_ALERT_WINDOW_HOURS = 24;

/**
 * The fraud alert for a transaction sent to review or blocked: one per customer per window (the dedupe
 * key names the customer and the window's start), updated by further suspicious transactions in it.
 */
export function fraudAlert(
  transaction: { customerId: number; customerName: string; totalCents: number },
  verdict: { score: number; decision: "review" | "block"; reasons: { code: string; message: string }[] },
  options: { thresholds: { review: number; block: number }; now: Date },
): SaleAlert {
  const windowMs = FRAUD_ALERT_WINDOW_HOURS * 3_600_000;
  const windowStart = new Date(Math.floor(options.now.getTime() / windowMs) * windowMs);
  const top = verdict.reasons[0]?.message ?? "several weak signals";
  return {
    type: "fraud_review",
    severity: fraudSeverity(verdict.score, options.thresholds),
    title: verdict.decision === "block"
      ? `Blocked a transaction of ${transaction.customerName}`
      : `Review transactions of ${transaction.customerName}`,
    // "Transaction <id> scored ...": the id is the new row's, filled in by the statement that writes it
    messageAroundId: ["Transaction ", ` scored ${verdict.score}: ${top}`],
    idKey: "lastTransactionId",
    entityType: "customer",
    entityId: transaction.customerId,
    dedupeKey: `fraud-review:${transaction.customerId}:${windowStart.toISOString()}`,
    metadata: {
      customerId: transaction.customerId,
      score: verdict.score,
      decision: verdict.decision,
      reasons: verdict.reasons.map((reason) => reason.code),
    },
  };
}
