/**
 * Stock alerts from the one "running low" rule: a product is short when its reorder plan's urgency
 * is critical, high or medium (`isRunningShort`), the same rule the dashboard KPI, the "Running
 * low" panel and the Inventory page count. Its alert quotes the plan's reorder point, and resolves
 * itself, with a note, once the product is no longer short (a refund, a receipt, a manual edit).
 * @module
 */
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { type AlertRow, publishAlert, raiseAlert, type RaiseAlertInput } from "./alert_queries.ts";
import { type PlannedProduct, planProducts } from "../inventory/reorder_planning.ts";
import { isRunningShort } from "../inventory/reorder_plan.ts";

export { isRunningShort };

/** The dedupe key of a product's stock alert (one open alert per product). */
export function stockAlertKey(productId: number): string {
  return `${stockAlertKeyPrefix}${productId}`;
}

const stockAlertKeyPrefix = "low-stock:";

/** The alert of a product that is running short, worded from its plan. */
export function stockAlert({ product, plan }: Pick<PlannedProduct, "product" | "plan">): RaiseAlertInput {
  const out = product.stock <= 0;
  const cover = plan.daysUntilStockout === null
    ? ""
    : `, about ${Math.round(plan.daysUntilStockout * 10) / 10} days of cover`;
  return {
    type: "low_stock",
    severity: out ? "critical" : plan.urgency === "low" ? "medium" : plan.urgency,
    title: out ? `${product.name} is out of stock` : `${product.name} is low on stock`,
    message:
      `${product.stock} left of "${product.name}" (${product.sku}); reorder at ${plan.reorderPoint}${cover}`,
    entityType: "product",
    entityId: product.productId,
    dedupeKey: stockAlertKey(product.productId),
    metadata: {
      productId: product.productId,
      sku: product.sku,
      stockQuantity: product.stock,
      reorderPoint: plan.reorderPoint,
      urgency: plan.urgency,
    },
  };
}

/** What a sync changed: alerts to announce after commit. */
export interface StockAlertChanges {
  changed: { alert: AlertRow; created: boolean }[];
}

/**
 * Brings the stock alerts of `productIds` (all active products when omitted) in line with their
 * plans, inside the caller's transaction: raises or refreshes the alert of each product running
 * short, resolves the open alert of each product that no longer is. Publish `changed` after commit.
 */
export async function syncStockAlerts(
  tx: Sql | TransactionSql,
  options: { productIds?: readonly number[]; timeZone: string; now: Date },
): Promise<StockAlertChanges> {
  const planned = await planProducts(tx, {
    productIds: options.productIds,
    timeZone: options.timeZone,
    now: options.now,
  });
  const changed: StockAlertChanges["changed"] = [];
  const recovered: PlannedProduct[] = [];
  for (const item of planned) {
    if (isRunningShort(item.plan)) changed.push(await raiseAlert(tx, stockAlert(item)));
    else recovered.push(item);
  }
  if (recovered.length > 0) {
    // One statement for every product that recovered (a sync of the whole shop resolves few, checks many).
    // Numbers only go out, the keys and notes are worded by the statement: a sync after a window of sales
    // sends every product sold, and escaping a text array of them cost more than the rest of the statement
    const resolved = await tx<AlertRow[]>`
      update alerts a
      set status = 'resolved', resolved_at = ${options.now}, updated_at = now(), snoozed_until = null,
          resolution_note = 'Stock recovered: ' || r.stock || ' in stock, reorder at ' || r.reorder_point
      from unnest(${tx.array(recovered.map(({ product }) => product.productId), 20)}::bigint[],
        ${tx.array(recovered.map(({ product }) => product.stock), 23)}::int4[],
        ${
      tx.array(recovered.map(({ plan }) => plan.reorderPoint), 701)
    }::float8[]) as r(product_id, stock, reorder_point)
      where a.dedupe_key = ${stockAlertKeyPrefix} || r.product_id and a.status <> 'resolved'
      returning a.id, a.type, a.severity, a.status, a.title, a.message, a.entity_type as "entityType",
                a.entity_id as "entityId", a.dedupe_key as "dedupeKey", a.metadata, a.created_at as "createdAt",
                a.updated_at as "updatedAt", a.acknowledged_at as "acknowledgedAt",
                a.snoozed_until as "snoozedUntil", a.resolved_at as "resolvedAt",
                a.resolution_note as "resolutionNote"`;
    for (const alert of resolved) changed.push({ alert, created: false });
  }
  return { changed };
}

/** Announces the alerts a sync changed; a failed publish is logged (the alerts are committed). */
export async function publishStockAlerts(
  deps: { bus: Pick<EventBus, "publish">; log: Logger },
  changes: StockAlertChanges,
): Promise<void> {
  for (const item of changes.changed) {
    await publishAlert(deps.bus, item).catch((error) =>
      deps.log.error("publishing a stock alert failed", { alertId: item.alert.id, error })
    );
  }
}
