import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { medianAndMad, robustZ } from "../robust_stats.ts";
import { type CheckInput, completedBefore, formatMoney, formatRatio, graded, plural } from "./_common.ts";

/** The order is far above what this customer usually spends (robust z-score over median and MAD). */
export function checkAmountAboveHistory(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.amountAboveHistory;
  if (input.tx.totalCents < rule.minAmountCents) return null;
  const past = completedBefore(input.history.transactions, input.now);
  if (past.length < rule.minHistory) return null;
  const { median, mad } = medianAndMad(past.map((entry) => entry.totalCents));
  const minScale = Math.max(rule.minScaleCents, rule.minScaleRatio * median);
  const z = robustZ(input.tx.totalCents, median, mad, minScale);
  const strength = graded(z, rule.zThreshold, rule.zSaturation);
  if (strength === 0) return null;
  return {
    code: "amount_above_history",
    strength,
    // Said as a multiple of the usual amount: a shop's staff read "7.0×", not a z-score.
    message: `${formatMoney(input.tx.totalCents, rules.currency)} is ${
      median > 0 ? formatRatio(input.tx.totalCents / median) : "far above"
    } this customer's usual ${formatMoney(Math.round(median), rules.currency)} (from ${
      plural(past.length, "earlier order")
    })`,
  };
}
