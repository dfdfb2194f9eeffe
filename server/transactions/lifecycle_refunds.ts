/**
 * Partial and line-level refunds, as pure maths: which units of which lines a refund may give back,
 * what each is worth, and whether the sale is then fully refunded. The money follows the sale's own
 * total (its discount included): after refunding lines worth `x` of the subtotal, the money given back
 * so far is round(total × x / subtotal), so the refunds of a sale always add up to exactly its total
 * once every unit is back, whatever the order and size of the refunds.
 */

/** A product's units on the sale (several items of one product count as one line). */
export interface SoldLine {
  productId: number;
  quantity: number;
  lineTotalCents: number;
}

/** What earlier refunds gave back of a product. */
export interface RefundedLine {
  productId: number;
  quantity: number;
}

/** One line of a refund request. */
export interface RefundRequestLine {
  productId: number;
  quantity: number;
  restock: boolean;
}

export interface PlannedRefundLine extends RefundRequestLine {
  amountCents: number;
}

export type RefundPlan =
  | { ok: true; lines: PlannedRefundLine[]; amountCents: number; fullyRefunded: boolean }
  | { ok: false; message: string };

/** The money given back once lines worth `value` of the subtotal are refunded (see the module comment). */
function moneyBackAt(value: number, subtotalCents: number, totalCents: number): number {
  return subtotalCents === 0 ? 0 : Math.round((totalCents * value) / subtotalCents);
}

/** The subtotal value of `quantity` units of a line: its exact share of the line total. */
function lineValue(line: SoldLine, quantity: number): number {
  return (line.lineTotalCents * quantity) / line.quantity;
}

/**
 * Plans a refund of `requested` on a sale with `sold` lines, `refunded` units already given back, and
 * `subtotalCents`/`totalCents` as stored. Refusals say why in words (a product not on the sale, a
 * product named twice, more units than are left to refund).
 * @example planRefund({ sold: [{ productId: 1, quantity: 3, lineTotalCents: 3000 }], refunded: [],
 *   requested: [{ productId: 1, quantity: 1, restock: true }], subtotalCents: 3000, totalCents: 3000 })
 *   // { ok: true, lines: [{ productId: 1, quantity: 1, restock: true, amountCents: 1000 }], amountCents: 1000, fullyRefunded: false }
 */
export function planRefund(input: {
  sold: SoldLine[];
  refunded: RefundedLine[];
  requested: RefundRequestLine[];
  subtotalCents: number;
  totalCents: number;
}): RefundPlan {
  const { sold, refunded, requested, subtotalCents, totalCents } = input;
  if (requested.length === 0) return { ok: false, message: "Choose at least one line to refund" };
  const soldBy = new Map(sold.map((line) => [line.productId, line]));
  const backBy = new Map<number, number>();
  for (const line of refunded) backBy.set(line.productId, (backBy.get(line.productId) ?? 0) + line.quantity);

  const seen = new Set<number>();
  for (const line of requested) {
    const onSale = soldBy.get(line.productId);
    if (!onSale) return { ok: false, message: `Product ${line.productId} is not on this sale` };
    if (seen.has(line.productId)) {
      return { ok: false, message: `Product ${line.productId} is named twice; give one line per product` };
    }
    seen.add(line.productId);
    const left = onSale.quantity - (backBy.get(line.productId) ?? 0);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      return { ok: false, message: `Refund at least one unit of product ${line.productId}` };
    }
    if (line.quantity > left) {
      return {
        ok: false,
        message: `Only ${left} of ${onSale.quantity} units of product ${line.productId} are left to refund`,
      };
    }
  }

  // the subtotal value already refunded, then each requested line in turn on top of it
  let value = sold.reduce(
    (sum, line) => sum + lineValue(line, Math.min(backBy.get(line.productId) ?? 0, line.quantity)),
    0,
  );
  const lines: PlannedRefundLine[] = [];
  for (const line of [...requested].sort((a, b) => a.productId - b.productId)) {
    const before = moneyBackAt(value, subtotalCents, totalCents);
    value += lineValue(soldBy.get(line.productId)!, line.quantity);
    lines.push({ ...line, amountCents: moneyBackAt(value, subtotalCents, totalCents) - before });
  }
  const fullyRefunded = sold.every((line) =>
    (backBy.get(line.productId) ?? 0) +
        (requested.find((r) => r.productId === line.productId)?.quantity ?? 0) >=
      line.quantity
  );
  return {
    ok: true,
    lines,
    amountCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
    fullyRefunded,
  };
}

/** Units of each product still held by the sale's customer (sold minus refunded), for a full refund or cancel. */
export function unitsNotRefunded(sold: RefundedLine[], refunded: RefundedLine[]): RefundedLine[] {
  return sold
    .map((line) => ({
      productId: line.productId,
      quantity: line.quantity -
        refunded.filter((r) => r.productId === line.productId).reduce((sum, r) => sum + r.quantity, 0),
    }))
    .filter((line) => line.quantity > 0);
}
