import { formatCents } from "../../shared/format.ts";
import type { FraudHistory, FraudTransaction, HistoryTransaction } from "../types.ts";

/** What every check reads: the transaction, the customer's past, and the moment of scoring. */
export interface CheckInput {
  tx: FraudTransaction;
  history: FraudHistory;
  now: Date;
}

const MINUTE_MS = 60_000;

/**
 * Strength of a rule that fires at `threshold`: half strength there, rising linearly to full strength at
 * `saturation`, 0 below the threshold. Half strength at the edge keeps a barely-firing rule from
 * counting as much as a blatant one, without hiding it.
 */
export function graded(value: number, threshold: number, saturation: number): number {
  if (!(value >= threshold)) return 0;
  if (saturation <= threshold) return 1;
  return 0.5 + 0.5 * Math.min(1, (value - threshold) / (saturation - threshold));
}

/** Transactions of the history inside (now - minutes, now]; entries after `now` are not history yet. */
export function within(
  history: readonly HistoryTransaction[],
  now: Date,
  minutes: number,
): HistoryTransaction[] {
  const inside = insideWindow(now, minutes);
  return history.filter(inside);
}

/**
 * How many transactions of the history fall inside `within`'s window and their total, counted without
 * building the list: the velocity checks ask it for every window of every sale, and the lists they
 * dropped were a sale's largest garbage after its fraud context (docs/performance.md, session 9).
 */
export function totalsWithin(
  history: readonly HistoryTransaction[],
  now: Date,
  minutes: number,
): { count: number; totalCents: number } {
  const inside = insideWindow(now, minutes);
  let count = 0;
  let totalCents = 0;
  for (const entry of history) {
    if (!inside(entry)) continue;
    count++;
    totalCents += entry.totalCents;
  }
  return { count, totalCents };
}

function insideWindow(now: Date, minutes: number): (entry: HistoryTransaction) => boolean {
  const end = now.getTime();
  const start = end - minutes * MINUTE_MS;
  return (entry) => {
    const at = entry.createdAt.getTime();
    return at > start && at <= end;
  };
}

/** Completed transactions strictly before `now`. */
export function completedBefore(history: readonly HistoryTransaction[], now: Date): HistoryTransaction[] {
  const end = now.getTime();
  return history.filter((entry) => entry.status === "completed" && entry.createdAt.getTime() < end);
}

/**
 * The largest value of `pick` over the customer's completed orders placed at least `minAgeDays` before
 * `now`: what this customer has already shown to be normal for them.
 */
export function precedent(
  input: CheckInput,
  minAgeDays: number,
  pick: (entry: HistoryTransaction) => number,
): number {
  const cutoff = input.now.getTime() - minAgeDays * 86_400_000;
  let largest = 0;
  for (const entry of input.history.transactions) {
    if (entry.status === "completed" && entry.createdAt.getTime() <= cutoff) {
      largest = Math.max(largest, pick(entry));
    }
  }
  return largest;
}

/**
 * Money for a reason message in the shop's currency and locale (`STORE_CURRENCY`, `STORE_LOCALE`),
 * e.g. `£1,234.50`. The thresholds are amounts of the shop's money, so the rules' own `currency`
 * code (kept for stored rule versions) does not change how they are written.
 */
export function formatMoney(cents: number, _rulesCurrency?: string): string {
  return formatCents(cents);
}

/** A window length in words: `10 minutes`, `1 hour`, `24 hours`. */
export function formatWindow(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = minutes / 60;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/** A multiple in words a shop reads at a glance: `1.4×`, `7.0×`, `24×`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}

/** `1 order`, `3 orders`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
