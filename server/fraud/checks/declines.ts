import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { type CheckInput, formatWindow, graded, plural, within } from "./_common.ts";

/** Repeated declined attempts by the customer just before this one. */
export function checkDeclinedAttempts(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.declinedAttempts;
  const declines = within(input.history.transactions, input.now, rule.windowMinutes)
    .filter((entry) => entry.status === "declined").length;
  const strength = graded(declines, rule.minDeclines, rule.declinesSaturation);
  if (strength === 0) return null;
  return {
    code: "declined_attempts",
    strength,
    message: `${plural(declines, "declined attempt")} in the last ${formatWindow(rule.windowMinutes)} ` +
      `(fires at ${rule.minDeclines})`,
  };
}
