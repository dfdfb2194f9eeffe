/**
 * Payment methods by the names on a card terminal or a checkout page. Stored codes stay snake_case
 * (`apple_pay`); pages, drawers and reports show these names so the same method reads the same everywhere.
 */
const LABELS: Record<string, string> = {
  card: "Card",
  paypal: "PayPal",
  apple_pay: "Apple Pay",
  google_pay: "Google Pay",
  bank_transfer: "Bank transfer",
  gift_card: "Gift card",
};

/** `apple_pay` -> `Apple Pay`; a method this list does not know yet loses its underscores. */
export function paymentMethodLabel(method: string): string {
  return LABELS[method] ?? method.replaceAll("_", " ");
}
