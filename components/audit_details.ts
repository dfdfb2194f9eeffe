/** An audit entry's details as a person reads them: "reason: damaged · amountCents: 1000", not JSON. */

const maxLength = 300;

function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return value.map(valueText).join(", ");
    return `${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${words(key)} ${valueText(inner)}`)
      .join(", ");
  }
  return String(value);
}

/**
 * One line of "name: value" pairs joined by " · "; nested objects inline, lists of objects counted,
 * cut at 300 characters with an ellipsis.
 * @example
 * describeAuditDetails({ supplierId: 3, to: { orderMultiple: 100 } }) // "supplier id: 3 · to: order multiple 100"
 */
export function describeAuditDetails(details: Record<string, unknown> | null | undefined): string {
  const text = Object.entries(details ?? {})
    .map(([key, value]) => `${words(key)}: ${valueText(value)}`)
    .join(" · ");
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
