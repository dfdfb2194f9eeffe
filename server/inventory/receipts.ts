/**
 * Partial receipts of purchase orders, as pure rules: which units a delivery may add, and the order's
 * status afterwards. A line can never receive more than was ordered; units not yet received are on
 * backorder until they arrive or the order is closed short.
 * @module
 */

/** A line of the order: ordered and received so far. */
export interface OrderLineState {
  productId: number;
  quantity: number;
  receivedQuantity: number;
}

/** Units of one product a delivery brings. */
export interface ReceiptLine {
  productId: number;
  quantity: number;
}

/** Statuses from which a delivery can be received or the order closed short. */
export const OPEN_ORDER_STATUSES = ["ordered", "partially_received"] as const;

export type ReceiptPlan =
  | { ok: true; lines: ReceiptLine[]; status: "received" | "partially_received" }
  | { ok: false; message: string };

/**
 * Plans a delivery on an order's `lines`. Without `requested`, everything still outstanding arrives
 * (the whole order, or the rest of it). Refusals: a product not on the order, a product named twice,
 * more units than are outstanding, nothing to receive.
 * @example planReceipt([{ productId: 1, quantity: 10, receivedQuantity: 0 }], [{ productId: 1, quantity: 4 }])
 *   // { ok: true, lines: [{ productId: 1, quantity: 4 }], status: "partially_received" }
 */
export function planReceipt(
  lines: readonly OrderLineState[],
  requested?: readonly ReceiptLine[],
): ReceiptPlan {
  const byProduct = new Map(lines.map((line) => [line.productId, line]));
  const outstanding = (line: OrderLineState) => line.quantity - line.receivedQuantity;
  let receipt: ReceiptLine[];
  if (requested === undefined) {
    receipt = lines.filter((line) => outstanding(line) > 0)
      .map((line) => ({ productId: line.productId, quantity: outstanding(line) }));
  } else {
    const seen = new Set<number>();
    for (const want of requested) {
      const line = byProduct.get(want.productId);
      if (!line) return { ok: false, message: `Product ${want.productId} is not on this order` };
      if (seen.has(want.productId)) {
        return { ok: false, message: `Product ${want.productId} is named twice; give one line per product` };
      }
      seen.add(want.productId);
      if (want.quantity > outstanding(line)) {
        return {
          ok: false,
          message: `Only ${
            outstanding(line)
          } of ${line.quantity} units of product ${want.productId} are still to come`,
        };
      }
    }
    receipt = requested.filter((want) => want.quantity > 0).map((want) => ({ ...want }));
  }
  if (receipt.length === 0) return { ok: false, message: "Nothing to receive: enter the units that arrived" };
  receipt.sort((a, b) => a.productId - b.productId);
  const arriving = new Map(receipt.map((line) => [line.productId, line.quantity]));
  const complete = lines.every((line) =>
    line.receivedQuantity + (arriving.get(line.productId) ?? 0) >= line.quantity
  );
  return { ok: true, lines: receipt, status: complete ? "received" : "partially_received" };
}
