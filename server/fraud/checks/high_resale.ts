import type { FraudRules } from "../rules.ts";
import type { Finding, FraudItem } from "../types.ts";
import { type CheckInput, graded, plural, precedent } from "./_common.ts";

/** Units in one order that belong to the high-resale categories of the rules. */
export function highResaleUnits(items: readonly FraudItem[], rules: FraudRules): number {
  const categories = rules.highResaleUnits.categories;
  return items.reduce((sum, item) => sum + (categories.includes(item.category) ? item.quantity : 0), 0);
}

/**
 * Many easy-to-resell units (phones, GPUs, gift cards) in one order, unless this customer has already
 * completed orders of a comparable size some time ago.
 */
export function checkHighResaleUnits(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.highResaleUnits;
  const units = highResaleUnits(input.tx.items, rules);
  const strength = graded(units, rule.minUnits, rule.unitsSaturation);
  if (strength === 0) return null;
  const largestBefore = precedent(input, rule.precedentMinAgeDays, (entry) => entry.highResaleUnits);
  if (largestBefore > 0 && largestBefore >= rule.precedentRatio * units) return null;
  const categories = [
    ...new Set(input.tx.items.filter((i) => rule.categories.includes(i.category)).map((i) => i.category)),
  ];
  return {
    code: "high_resale_units",
    strength,
    message: `${plural(units, "high-resale unit")} (${
      categories.join(", ")
    }) in one order (fires at ${rule.minUnits})`,
  };
}
