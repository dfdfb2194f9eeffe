/**
 * What the generators C, D, F and G share: writing one order as rows, prices drawn per category. Each
 * generator keeps its own assumptions; only the row layout and the random draws' order are common here.
 */
import type { createRandom } from "../random.ts";
import type { FraudStreamRow } from "../fraud_stream.ts";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

type Random = ReturnType<typeof createRandom>;

/** A generated stream's common options: the seed, how many days from which start. */
export interface StreamOptions {
  seed?: number;
  days?: number;
  start?: string;
}

/** A customer account: its id and when it was created (ms). */
export interface Account {
  id: string;
  created: number;
}

/** A category with the lowest and highest unit price (minor units). */
export type PricedCategory = readonly [category: string, min: number, max: number];

/** A price for the category, log-uniform between its lowest and highest. */
export function priceIn(r: Random, categories: readonly PricedCategory[], category: string): number {
  const [, min, max] = categories.find(([c]) => c === category)!;
  return Math.round(Math.exp(r.between(Math.log(min), Math.log(max))));
}

/** Who placed an order and how: the identity columns (blank when not sent) and the payment method. */
export interface OrderIdentity {
  device?: string;
  ip?: string;
  email?: string;
  card?: { bin: string; last4: string };
  billing?: string;
  shipping?: string;
  method: string;
}

/** One order to write. */
export interface OrderToWrite {
  transactionId: string;
  customer: Account;
  at: number;
  lines: readonly { category: string; quantity: number; cents?: number }[];
  identity: OrderIdentity;
  fraud: boolean;
  status: "completed" | "declined";
  scenario: string;
}

/**
 * Appends the order's lines to `rows`: per line a product of its category (one of `products`) and, unless the
 * line sets it, a price drawn with `priceIn`, in that order.
 */
export function writeOrder(
  r: Random,
  rows: FraudStreamRow[],
  categories: readonly PricedCategory[],
  products: number,
  order: OrderToWrite,
): void {
  const { identity: id } = order;
  for (const line of order.lines) {
    rows.push({
      transaction_id: order.transactionId,
      timestamp: new Date(order.at).toISOString(),
      customer_id: order.customer.id,
      customer_created_at: new Date(order.customer.created).toISOString(),
      product_id: `${line.category}-${r.int(1, products)}`,
      category: line.category,
      unit_price_cents: line.cents ?? priceIn(r, categories, line.category),
      quantity: line.quantity,
      payment_method: id.method,
      status: order.status,
      is_fraud: order.fraud ? 1 : 0,
      device_id: id.device,
      ip_address: id.ip,
      email: id.email,
      card_bin: id.card?.bin,
      card_last4: id.card?.last4,
      billing_country: id.billing,
      shipping_country: id.shipping,
      scenario: order.scenario,
    });
  }
}

/**
 * A generator's order writer: `order(customer, at, lines, identity, fraud, status, scenario)` appends an order
 * whose transaction ids run `${prefix}1`, `${prefix}2`, … in the order they are written (`writeOrder`).
 */
export function orderWriter(
  r: Random,
  rows: FraudStreamRow[],
  categories: readonly PricedCategory[],
  products: number,
  prefix: string,
): (
  customer: Account,
  at: number,
  lines: OrderToWrite["lines"],
  identity: OrderIdentity,
  fraud: boolean,
  status: OrderToWrite["status"],
  scenario: string,
) => void {
  let written = 0;
  return (customer, at, lines, identity, fraud, status, scenario) =>
    writeOrder(r, rows, categories, products, {
      transactionId: `${prefix}${++written}`,
      customer,
      at,
      lines,
      identity,
      fraud,
      status,
      scenario,
    });
}
