import type { TransactionSql } from "../db/mod.ts";

/** Stock at or below this raises a low-stock alert when a product has no reorder point of its own. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

export type AlertSeverity = "info" | "low" | "medium" | "high" | "critical";

/** An alert to raise, deduplicated on `dedupeKey` while an earlier one with that key is not resolved. */
export interface AlertToRaise {
  type: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  entityType: string;
  entityId: number;
  dedupeKey: string;
  metadata: Record<string, unknown>;
}

/** A raised alert, for the `alert.raised` event. */
export interface RaisedAlert {
  id: number;
  type: string;
  severity: AlertSeverity;
  title: string;
  entityType: string;
  entityId: number;
}

/**
 * Raises an alert, or refreshes the open one with the same dedupe key (`alerts_open_dedupe_idx`): the
 * message and metadata become the latest, the severity only ever rises, and `occurrences` counts the
 * repeats. Returns the alert when it is new (so the caller publishes `alert.raised` once), undefined when
 * an open one was updated.
 */
export async function raiseDedupedAlert(
  tx: TransactionSql,
  alert: AlertToRaise,
): Promise<RaisedAlert | undefined> {
  const [row] = await tx<[{ id: number; inserted: boolean }]>`
    insert into alerts (type, severity, title, message, entity_type, entity_id, dedupe_key, metadata)
    values (${alert.type}, ${alert.severity}, ${alert.title}, ${alert.message}, ${alert.entityType},
            ${alert.entityId}, ${alert.dedupeKey}, ${tx.json({ ...alert.metadata, occurrences: 1 } as never)})
    on conflict (dedupe_key) where status <> 'resolved' and dedupe_key is not null
    do update set
      message = excluded.message,
      metadata = excluded.metadata
        || jsonb_build_object('occurrences', coalesce((alerts.metadata ->> 'occurrences')::int, 1) + 1),
      severity = case
        when array_position(array['info', 'low', 'medium', 'high', 'critical'], excluded.severity)
           > array_position(array['info', 'low', 'medium', 'high', 'critical'], alerts.severity)
        then excluded.severity else alerts.severity end,
      updated_at = now()
    returning id, (xmax = 0) as inserted`;
  if (!row.inserted) return undefined;
  return {
    id: row.id,
    type: alert.type,
    severity: alert.severity,
    title: alert.title,
    entityType: alert.entityType,
    entityId: alert.entityId,
  };
}

/** Severity of a low-stock alert: out of stock is critical, half the threshold or less is high. */
export function lowStockSeverity(stock: number, threshold: number): AlertSeverity {
  if (stock <= 0) return "critical";
  if (stock <= threshold / 2) return "high";
  return "medium";
}

/** The low-stock alert of one product after a sale left `stock` units. */
export function lowStockAlert(
  product: { id: number; name: string; sku: string },
  stock: number,
  threshold: number,
): AlertToRaise {
  return {
    type: "low_stock",
    severity: lowStockSeverity(stock, threshold),
    title: stock <= 0 ? `${product.name} is out of stock` : `${product.name} is low on stock`,
    message: `${stock} left of "${product.name}" (${product.sku}); reorder point ${threshold}`,
    entityType: "product",
    entityId: product.id,
    dedupeKey: `low-stock:${product.id}`,
    metadata: { productId: product.id, sku: product.sku, stockQuantity: stock, reorderPoint: threshold },
  };
}

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
  transaction: { id: number; customerId: number; customerName: string; totalCents: number },
  verdict: { score: number; decision: "review" | "block"; reasons: { code: string; message: string }[] },
  options: { thresholds: { review: number; block: number }; now: Date },
): AlertToRaise {
  const windowMs = FRAUD_ALERT_WINDOW_HOURS * 3_600_000;
  const windowStart = new Date(Math.floor(options.now.getTime() / windowMs) * windowMs);
  const top = verdict.reasons[0]?.message ?? "several weak signals";
  return {
    type: "fraud_review",
    severity: fraudSeverity(verdict.score, options.thresholds),
    title: verdict.decision === "block"
      ? `Blocked a transaction of ${transaction.customerName}`
      : `Review transactions of ${transaction.customerName}`,
    message: `Transaction ${transaction.id} scored ${verdict.score}: ${top}`,
    entityType: "customer",
    entityId: transaction.customerId,
    dedupeKey: `fraud-review:${transaction.customerId}:${windowStart.toISOString()}`,
    metadata: {
      customerId: transaction.customerId,
      lastTransactionId: transaction.id,
      score: verdict.score,
      decision: verdict.decision,
      reasons: verdict.reasons.map((reason) => reason.code),
    },
  };
}
