/**
 * Supplier price breaks and order multiples, as pure maths: an order is raised to the supplier's
 * minimum, then rounded up to its pack size (order multiple), and priced at the break the resulting
 * quantity reaches. Money in integer cents.
 * @module
 */
import { formatCents } from "../shared/format.ts";

/** From `minQty` units on, each unit costs `unitCostCents`. */
export interface PriceBreak {
  minQty: number;
  unitCostCents: number;
}

/** A supplier's terms for one product. */
export interface SupplierTerms {
  /** The unit cost below the smallest break. */
  unitCostCents: number;
  minOrderQty: number;
  /** Pack size: orders are whole multiples of it (1 = any quantity). */
  orderMultiple?: number;
  priceBreaks?: readonly PriceBreak[];
}

/** An order quantity under a supplier's terms, with what changed it and its unit cost. */
export interface PricedOrder {
  quantity: number;
  unitCostCents: number;
  /** True when the pack size raised the quantity. */
  roundedToMultiple: boolean;
  /** The break applied, or null for the base price. */
  priceBreak: PriceBreak | null;
}

/**
 * `quantity` rounded up to a whole multiple of `multiple` (0 stays 0).
 * @example roundUpToMultiple(13, 6) // 18
 */
export function roundUpToMultiple(quantity: number, multiple: number): number {
  const m = Math.max(1, Math.floor(multiple));
  return Math.ceil(quantity / m) * m;
}

/**
 * The break a quantity reaches: the one with the largest minimum not above it, or null.
 * @example breakAt([{ minQty: 10, unitCostCents: 90 }, { minQty: 50, unitCostCents: 80 }], 24) // { minQty: 10, ... }
 */
export function breakAt(breaks: readonly PriceBreak[], quantity: number): PriceBreak | null {
  let best: PriceBreak | null = null;
  for (const b of breaks) if (b.minQty <= quantity && (!best || b.minQty > best.minQty)) best = b;
  return best;
}

/**
 * Prices `needed` units under `terms`: raised to the minimum order, rounded up to the pack size, then
 * the unit cost of the break the final quantity reaches (the base cost when none). 0 units stays 0.
 * @example priceOrder(13, { unitCostCents: 100, minOrderQty: 1, orderMultiple: 6,
 *   priceBreaks: [{ minQty: 18, unitCostCents: 90 }] }) // { quantity: 18, unitCostCents: 90, ... }
 */
export function priceOrder(needed: number, terms: SupplierTerms): PricedOrder {
  if (needed <= 0) {
    return { quantity: 0, unitCostCents: terms.unitCostCents, roundedToMultiple: false, priceBreak: null };
  }
  const raised = Math.max(needed, terms.minOrderQty);
  const quantity = roundUpToMultiple(raised, terms.orderMultiple ?? 1);
  const priceBreak = breakAt(terms.priceBreaks ?? [], quantity);
  return {
    quantity,
    unitCostCents: priceBreak ? priceBreak.unitCostCents : terms.unitCostCents,
    roundedToMultiple: quantity > raised,
    priceBreak,
  };
}

/**
 * The sentence the explanation gains about pack size and price break, in the shop's currency, or ""
 * when neither applied.
 * @example pricingSentence(13, { quantity: 18, unitCostCents: 90, roundedToMultiple: true,
 *   priceBreak: { minQty: 18, unitCostCents: 90 } }, { unitCostCents: 100, minOrderQty: 1, orderMultiple: 6 })
 *   // "Rounded up from 13 to 18 units (packs of 6). 18 units reach the price break from 18 units: £0.90 each instead of £1.00."
 */
export function pricingSentence(needed: number, order: PricedOrder, terms: SupplierTerms): string {
  const parts: string[] = [];
  if (order.roundedToMultiple) {
    parts.push(
      `Rounded up from ${
        Math.max(needed, terms.minOrderQty)
      } to ${order.quantity} units (packs of ${terms.orderMultiple}).`,
    );
  }
  if (order.priceBreak) {
    parts.push(
      `${order.quantity} units reach the price break from ${order.priceBreak.minQty} units: ` +
        `${formatCents(order.unitCostCents)} each instead of ${formatCents(terms.unitCostCents)}.`,
    );
  }
  return parts.join(" ");
}
