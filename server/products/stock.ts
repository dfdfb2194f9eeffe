// The one stock module: every change of `products.stock_quantity` is made here (or, for a sale, named
// here) and comes back as typed `StockChanged` values, which are also the `stock.changed` event's data.
// Rows are always touched in product-id order, the order a sale takes its locks in, so two writers never
// wait on each other in a cycle.
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { PendingEvent, StockChanged, StockChangeReason } from "../events/app_events.ts";

export type { StockChanged, StockChangeReason };

/** Units of one product. */
export interface StockLine {
  productId: number;
  quantity: number;
}

/** A product's stock after a write. */
export interface StockLevel {
  productId: number;
  stockQuantity: number;
}

function byProductId<T extends { productId: number }>(lines: readonly T[]): T[] {
  return [...lines].sort((a, b) => a.productId - b.productId);
}

/**
 * take: what a sale took. The sale path takes its stock inside its own single statement
 * (`server/transactions/sale_writes.ts`, one round trip for speed), which returns each product's level
 * after; this names those takings as stock changes.
 * @param transactionId the sale
 * @param lines the units sold, per product
 * @param after each product's stock after the sale
 */
export function takenBySale(
  transactionId: number,
  lines: readonly StockLine[],
  after: readonly StockLevel[],
): StockChanged[] {
  return after.map((level) => ({
    productId: level.productId,
    stockQuantity: level.stockQuantity,
    change: -lines.filter((line) => line.productId === level.productId)
      .reduce((sum, line) => sum + line.quantity, 0),
    reason: "sale",
    transactionId,
    purchaseOrderId: null,
  }));
}

async function addUnits(
  tx: Sql | TransactionSql,
  lines: readonly StockLine[],
  reason: StockChangeReason,
  source: { transactionId: number | null; purchaseOrderId: number | null },
): Promise<StockChanged[]> {
  const changes: StockChanged[] = [];
  for (const line of byProductId(lines)) {
    if (line.quantity === 0) continue;
    const [row] = await tx<[{ stock_quantity: number }?]>`
      update products set stock_quantity = stock_quantity + ${line.quantity}, updated_at = now()
      where id = ${line.productId}
      returning stock_quantity`;
    if (!row) continue;
    changes.push({
      productId: line.productId,
      stockQuantity: row.stock_quantity,
      change: line.quantity,
      reason,
      ...source,
    });
  }
  return changes;
}

/**
 * return: gives units of a sale back to stock (a refund that restocks, or a cancellation).
 * @param tx the open transaction of the refund or cancellation
 * @param lines units per product
 * @param options why, and the sale
 */
export async function returnStock(
  tx: Sql | TransactionSql,
  lines: readonly StockLine[],
  options: { reason: "refund" | "cancel"; transactionId: number },
): Promise<StockChanged[]> {
  return await addUnits(tx, lines, options.reason, {
    transactionId: options.transactionId,
    purchaseOrderId: null,
  });
}

/**
 * receive: adds delivered units of a purchase order to stock.
 * @param tx the open transaction of the receipt
 * @param lines units delivered per product
 * @param options the purchase order
 */
export async function receiveStock(
  tx: Sql | TransactionSql,
  lines: readonly StockLine[],
  options: { purchaseOrderId: number },
): Promise<StockChanged[]> {
  return await addUnits(tx, lines, "received", {
    transactionId: null,
    purchaseOrderId: options.purchaseOrderId,
  });
}

/**
 * adjust: sets a product's stock to a counted quantity. Undefined when there is no such product or the
 * count equals the stock (nothing moved).
 * @param tx the open transaction of the edit
 * @param productId the product
 * @param counted the quantity on the shelf
 */
export async function adjustStock(
  tx: Sql | TransactionSql,
  productId: number,
  counted: number,
): Promise<StockChanged | undefined> {
  // not FOR UPDATE: the count changes no key column, and FOR UPDATE would also hold up every sale's
  // foreign key check on the product (a key-share lock); sales taking stock still queue on this lock
  const [row] = await tx<[{ stock_quantity: number; previous: number }?]>`
    with before as (select stock_quantity from products where id = ${productId} for no key update)
    update products p set stock_quantity = ${counted}, updated_at = now()
    from before where p.id = ${productId}
    returning p.stock_quantity, before.stock_quantity as previous`;
  if (!row || row.stock_quantity === row.previous) return undefined;
  return {
    productId,
    stockQuantity: row.stock_quantity,
    change: row.stock_quantity - row.previous,
    reason: "adjusted",
    transactionId: null,
    purchaseOrderId: null,
  };
}

/** The `stock.changed` events of `changes`, to publish after the commit. */
export function stockChangedEvents(changes: readonly StockChanged[]): PendingEvent<"stock.changed">[] {
  return changes.map((data) => ({ type: "stock.changed", data }));
}
