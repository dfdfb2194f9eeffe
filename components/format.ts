/** Formatting at the edge: cents to money, counts with separators, changes as signed percentages. */

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
const count = new Intl.NumberFormat("en-GB");

/** `formatCents(123456)` -> "£1,234.56" */
export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

/** `formatCount(5012)` -> "5,012" */
export function formatCount(value: number): string {
  return count.format(value);
}

/** Change from `previous` to `current` as "+12.5%", "-3.0%", or "new" when there was nothing before. */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? "0.0%" : "new";
  const change = ((current - previous) / previous) * 100;
  return `${change >= 0 ? "+" : ""}${change.toFixed(1)}%`;
}
