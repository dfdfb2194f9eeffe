import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { type CheckInput, formatMoney, formatWindow, graded, plural, totalsWithin } from "./_common.ts";

/** Too many attempts by one customer in a short window; the strongest window speaks for the rule. */
export function checkVelocityCount(input: CheckInput, rules: FraudRules): Finding | null {
  let best: Finding | null = null;
  for (const window of rules.velocityWindows) {
    const count = totalsWithin(input.history.transactions, input.now, window.minutes).count + 1;
    const strength = graded(count, window.minCount, window.countSaturation);
    if (strength > 0 && (!best || strength > best.strength)) {
      best = {
        code: "velocity_count",
        strength,
        message: `${plural(count, "attempt")} by this customer in the last ${formatWindow(window.minutes)} ` +
          `(fires at ${window.minCount})`,
      };
    }
  }
  return best;
}

/**
 * Too much money attempted by one customer in a short window, declined attempts included. It needs at
 * least one earlier attempt in the window: a single large order is the business of the amount rules.
 */
export function checkVelocityAmount(input: CheckInput, rules: FraudRules): Finding | null {
  let best: Finding | null = null;
  for (const window of rules.velocityWindows) {
    const recent = totalsWithin(input.history.transactions, input.now, window.minutes);
    if (recent.count === 0) continue;
    const amount = input.tx.totalCents + recent.totalCents;
    const strength = graded(amount, window.minAmountCents, window.amountSaturationCents);
    if (strength > 0 && (!best || strength > best.strength)) {
      best = {
        code: "velocity_amount",
        strength,
        message: `${formatMoney(amount, rules.currency)} attempted by this customer in the last ` +
          `${formatWindow(window.minutes)} (fires at ${formatMoney(window.minAmountCents, rules.currency)})`,
      };
    }
  }
  return best;
}
