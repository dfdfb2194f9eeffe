import type { FraudRules } from "../rules.ts";
import type { Finding, FraudItem } from "../types.ts";
import { type CheckInput, graded, plural, precedent } from "./_common.ts";
import { fraudCategory } from "../categories.ts";

// Rules are compared by slug, so "Graphics Cards" in an admin's edit matches "graphics_cards" on an order;
// the slugs of one rules object are computed once, not per order line.
const slugsOf = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The rules' high-resale categories as slugs. */
function resaleSlugs(rules: FraudRules): ReadonlySet<string> {
  const categories = rules.highResaleUnits.categories;
  let slugs = slugsOf.get(categories);
  if (!slugs) slugsOf.set(categories, slugs = new Set(categories.map(fraudCategory)));
  return slugs;
}

/** Whether an order line's category is on the rules' high-resale list (either spelling). */
export function isHighResale(category: string, rules: FraudRules): boolean {
  const slugs = resaleSlugs(rules);
  return slugs.has(category) || slugs.has(fraudCategory(category));
}

/** Units in one order that belong to the high-resale categories of the rules. */
export function highResaleUnits(items: readonly FraudItem[], rules: FraudRules): number {
  return items.reduce((sum, item) => sum + (isHighResale(item.category, rules) ? item.quantity : 0), 0);
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
    ...new Set(input.tx.items.filter((i) => isHighResale(i.category, rules)).map((i) => i.category)),
  ];
  return {
    code: "high_resale_units",
    strength,
    message: `${plural(units, "high-resale unit")} (${
      categories.join(", ")
    }) in one order (fires at ${rule.minUnits})`,
  };
}
