// Builders for the rule tests: a plain order and history that fire no rule, to be bent one way per case.
import type { FraudHistory, FraudTransaction, HistoryTransaction } from "../types.ts";
import type { CheckInput } from "./_common.ts";

/** 2025-06-10 14:00 in New York: a busy afternoon, far from the unusual hours. */
export const NOW = new Date("2025-06-10T18:00:00Z");
const MINUTE = 60_000;

/** A time `minutes` before NOW. */
export function ago(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * MINUTE);
}

/** An ordinary one-line order by a two-year-old account. */
export function order(overrides: Partial<FraudTransaction> = {}): FraudTransaction {
  const items = overrides.items ??
    [{ productId: "P1", category: "accessories", unitPriceCents: 2_500, quantity: 1 }];
  return {
    customerId: "C1",
    customerCreatedAt: ago(2 * 365 * 24 * 60),
    createdAt: NOW,
    items,
    totalCents: items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
    paymentMethod: "card_a",
    ...overrides,
  };
}

/** One past transaction `minutesAgo` before NOW. */
export function past(minutesAgo: number, overrides: Partial<HistoryTransaction> = {}): HistoryTransaction {
  return {
    createdAt: ago(minutesAgo),
    totalCents: 2_500,
    paymentMethod: "card_a",
    status: "completed",
    maxItemQuantity: 1,
    highResaleUnits: 0,
    ...overrides,
  };
}

/** A history with the given transactions and no list memberships. */
export function history(
  transactions: HistoryTransaction[] = [],
  overrides: Partial<FraudHistory> = {},
): FraudHistory {
  return { transactions, productQuantityStats: {}, blockListed: false, allowListed: false, ...overrides };
}

/** A check input at NOW. */
export function input(tx: FraudTransaction, h: FraudHistory = history()): CheckInput {
  return { tx, history: h, now: NOW };
}

/** `n` past transactions spread `spacingMinutes` apart, the newest `startMinutesAgo` before NOW. */
export function series(
  n: number,
  startMinutesAgo: number,
  spacingMinutes: number,
  overrides: (i: number) => Partial<HistoryTransaction> = () => ({}),
): HistoryTransaction[] {
  return Array.from({ length: n }, (_, i) => past(startMinutesAgo + i * spacingMinutes, overrides(i)));
}
