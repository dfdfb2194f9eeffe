import { z } from "zod";

// what counts as ISO 8601 text here: a date and time (with or without an offset), or a date alone
const isoText = z.union([z.iso.datetime({ offset: true, local: true }), z.iso.date()]);

/**
 * A time in a request body: an ISO 8601 text (`2026-12-07T10:00:00Z`; without an offset it is UTC, as every
 * time in the API; a date alone is its midnight in UTC) or, from tRPC clients, a `Date`. The REST handler's
 * coercion (`z.coerce.date()`) also took numbers and booleans, so `true` read as a millisecond after 1970,
 * and any text `Date` can parse; this refuses them with `message`, and the handler leaves it alone (it
 * coerces only plain date fields). The API document shows it as a date-time string.
 */
export function jsonDateTime(message: string) {
  return z.union([z.date(), z.string().max(64).meta({ format: "date-time" })], { message })
    .transform((value, ctx) => {
      if (value instanceof Date) return value;
      if (!isoText.safeParse(value).success) {
        ctx.issues.push({ code: "custom", message, input: value });
        return z.NEVER;
      }
      // "T...": a time with no offset is UTC here, not the server's own zone
      const withZone = value.includes("T") && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? `${value}Z` : value;
      return new Date(withZone);
    });
}
