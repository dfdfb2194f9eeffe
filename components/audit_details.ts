/** An audit entry's details as a person reads them: "reason: damaged · amount: £10.00", not JSON. */
import { formatCents, formatDateTime } from "../server/shared/format.ts";

const maxLength = 300;

// stored amounts are whole cents under a key that says so (`totalCents`, `unit_cost_cents`)
const centsKey = /(?:Cents|_cents)$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function words(key: string): string {
  return key.replace(centsKey, "").replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

/** A value in the shop's words: money for a cents key, dates as pages write them, yes/no. */
function valueText(value: unknown, key = ""): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "number" && centsKey.test(key) && Number.isSafeInteger(value)) {
    return formatCents(value);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && isoInstant.test(value)) return formatDateTime(value);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) {
      return value.map((item) => valueText(item, key)).join(", ");
    }
    return `${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${words(key)} ${valueText(inner, key)}`)
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
    .map(([key, value]) => `${words(key)}: ${valueText(value, key)}`)
    .join(" · ");
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
