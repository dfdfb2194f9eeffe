import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { robustZ } from "../robust_stats.ts";
import { type CheckInput, graded, plural, precedent } from "./_common.ts";

/**
 * A line's quantity is far above what the product usually sells per order, unless this customer has
 * already completed orders of a comparable size some time ago (a business buyer's tenth bulk order is not news).
 */
export function checkQuantityAboveUsual(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.quantityAboveUsual;
  let best: Finding | null = null;
  let largestBefore: number | undefined;
  for (const item of input.tx.items) {
    if (item.quantity < rule.minQuantity) continue;
    const stats = input.history.productQuantityStats[String(item.productId)];
    if (!stats || stats.count < rule.minSamples) continue;
    // Quantities are whole units: a spread below one unit says nothing.
    const z = robustZ(item.quantity, stats.median, stats.mad, 1);
    const strength = graded(z, rule.zThreshold, rule.zSaturation);
    if (strength === 0) continue;
    largestBefore ??= precedent(input, rule.precedentMinAgeDays, (entry) => entry.maxItemQuantity);
    if (largestBefore > 0 && largestBefore >= rule.precedentRatio * item.quantity) continue;
    if (!best || strength > best.strength) {
      best = {
        code: "quantity_above_usual",
        strength,
        // No product id or z-score: the drawer lists the lines, and staff read units, not statistics.
        message: `${item.quantity} units of one product, which usually sells ${
          plural(stats.median, "unit")
        } per order`,
      };
    }
  }
  return best;
}
