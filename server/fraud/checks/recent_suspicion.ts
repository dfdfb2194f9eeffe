import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { type CheckInput, formatWindow, plural, within } from "./_common.ts";

/**
 * Another transaction of this customer scored at or above the review threshold shortly before: the
 * follow-up orders of a takeover or a spree look ordinary once the first one has moved the history.
 */
export function checkRecentSuspicion(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.recentSuspicion;
  const suspicious = within(input.history.transactions, input.now, rule.windowMinutes)
    .filter((entry) => entry.score !== undefined && entry.score >= rules.thresholds.review);
  if (suspicious.length === 0) return null;
  const highest = Math.max(...suspicious.map((entry) => entry.score!));
  return {
    code: "recent_suspicion",
    strength: 1,
    message: `${plural(suspicious.length, "other transaction")} of this customer scored ${highest} or less ` +
      `(review at ${rules.thresholds.review}) in the last ${formatWindow(rule.windowMinutes)}`,
  };
}
