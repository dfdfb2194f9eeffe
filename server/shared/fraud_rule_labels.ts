/**
 * The fraud rules by the names staff see. The rules editor keys its weights by the rules' camelCase
 * fields; statistics and findings carry snake_case codes (`velocity_count`). Both read one list, so a
 * rule is called the same in the editor and in the statistics.
 */
export const FRAUD_RULE_LABELS = [
  ["blockList", "Block list"],
  ["recentSuspicion", "Recent suspicion"],
  ["velocityCount", "Velocity (count)"],
  ["velocityAmount", "Velocity (amount)"],
  ["declinedAttempts", "Declined attempts"],
  ["paymentMethods", "Several payment methods"],
  ["newPaymentMethod", "New payment method"],
  ["amountAboveHistory", "Amount above own history"],
  ["quantityAboveUsual", "Quantity above usual"],
  ["newCustomerHighValue", "New customer, high value"],
  ["highResaleUnits", "High-resale units"],
  ["unusualHour", "Unusual hour"],
] as const;

const BY_CODE = new Map<string, string>(
  FRAUD_RULE_LABELS.map(([key, label]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), label]),
);

/** The label of a rule code (`velocity_count` -> `Velocity (count)`); an unknown code is shown as is. */
export function fraudRuleLabel(code: string): string {
  return BY_CODE.get(code) ?? code;
}
