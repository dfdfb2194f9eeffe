import type { FraudRules } from "../rules.ts";
import type { Finding } from "../types.ts";
import { type CheckInput, completedBefore, formatWindow, graded, plural, within } from "./_common.ts";

/** Several distinct payment methods tried by one customer in a short window (card testing, stolen cards). */
export function checkPaymentMethods(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.paymentMethods;
  const methods = new Set(
    within(input.history.transactions, input.now, rule.windowMinutes).map((e) => e.paymentMethod),
  );
  methods.add(input.tx.paymentMethod);
  const strength = graded(methods.size, rule.minDistinct, rule.distinctSaturation);
  if (strength === 0) return null;
  return {
    code: "payment_methods",
    strength,
    message:
      `${plural(methods.size, "payment method")} used in the last ${formatWindow(rule.windowMinutes)} ` +
      `(fires at ${rule.minDistinct})`,
  };
}

/** An established customer pays a sizeable order with a method never seen on their completed orders. */
export function checkNewPaymentMethod(input: CheckInput, rules: FraudRules): Finding | null {
  const rule = rules.newPaymentMethod;
  if (input.tx.totalCents < rule.minAmountCents) return null;
  const past = completedBefore(input.history.transactions, input.now);
  if (past.length < rule.minHistory) return null;
  if (past.some((entry) => entry.paymentMethod === input.tx.paymentMethod)) return null;
  return {
    code: "new_payment_method",
    strength: 1,
    message: `Payment method never used on this customer's ${plural(past.length, "completed order")}`,
  };
}
