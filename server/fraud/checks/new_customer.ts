import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { type CheckInput, formatMoney, graded } from "./_common.ts";

const DAY_MS = 86_400_000;

/** A high-value order from an account only days (or minutes) old. */
export function checkNewCustomerHighValue(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.newCustomerHighValue;
  const ageMs = input.now.getTime() - input.tx.customerCreatedAt.getTime();
  if (ageMs > rule.maxAgeDays * DAY_MS) return null;
  const strength = graded(input.tx.totalCents, rule.minAmountCents, rule.amountSaturationCents);
  if (strength === 0) return null;
  const hours = Math.max(0, ageMs) / 3_600_000;
  const age = hours < 1
    ? `${Math.round(hours * 60)} minutes`
    : hours < 48
    ? `${Math.round(hours)} hours`
    : `${Math.round(hours / 24)} days`;
  return {
    code: "new_customer_high_value",
    strength,
    message: `${formatMoney(input.tx.totalCents, rules.currency)} order from an account created ${age} ago ` +
      `(fires at ${formatMoney(rule.minAmountCents, rules.currency)})`,
  };
}
