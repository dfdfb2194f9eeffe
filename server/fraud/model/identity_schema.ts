/**
 * Validation of the optional identity fields a sale may carry (`POST /api/v1/transactions`, the tRPC
 * procedure, the importer). Each is checked for what it is, normalised, and never required.
 */
import { z } from "zod";
import { type IdentityColumns, isIpv6, parseIpv4, type SaleIdentity } from "./identity.ts";

const regions = new Intl.DisplayNames(["en"], { type: "region" });
// Intl knows a few codes that are not countries; they are no shipping destination.
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AA"]);

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code (upper case). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  const name = regions.of(code);
  return name !== undefined && name !== code && name !== "Unknown Region";
}

const country = z.string().trim().transform((value) => value.toUpperCase()).refine(isCountryCode, {
  message: "Use an ISO 3166-1 alpha-2 country code such as GB, US or DE",
});

/** The identity fields, each optional. */
export const saleIdentityFields = {
  deviceId: z.string().trim().min(1).max(200).optional()
    .describe("The shopper's device fingerprint or id, as the checkout saw it"),
  ipAddress: z.string().trim().max(45).transform((value, ctx) => {
    const v4 = parseIpv4(value);
    if (v4) return v4;
    if (isIpv6(value)) return new URL(`http://[${value}]/`).hostname.slice(1, -1);
    ctx.addIssue({ code: "custom", message: `"${value}" is not an IPv4 or IPv6 address` });
    return z.NEVER;
  }).optional().describe("The shopper's IP address (IPv4 or IPv6)"),
  email: z.email("Use an email address such as ann@example.com").max(254)
    .transform((value) => value.toLowerCase()).optional().describe("The email given at checkout"),
  cardBin: z.string().regex(/^\d{6,8}$/, "The card BIN is the card number's first 6 to 8 digits").optional()
    .describe("First 6-8 digits of the card number"),
  cardLast4: z.string().regex(/^\d{4}$/, "Give the card number's last 4 digits").optional()
    .describe("Last 4 digits of the card number"),
  billingCountry: country.optional().describe("ISO 3166-1 alpha-2 country of the billing address"),
  shippingCountry: country.optional().describe("ISO 3166-1 alpha-2 country of the shipping address"),
  userAgent: z.string().max(1000).optional().describe("The browser's User-Agent"),
};

const IDENTITY_KEYS = Object.keys(saleIdentityFields) as (keyof SaleIdentity)[];

/** The identity fields present on a validated body, or undefined when none is. */
export function pickIdentity(
  body: Partial<Record<keyof SaleIdentity, string | undefined>>,
): SaleIdentity | undefined {
  const identity: SaleIdentity = {};
  for (const key of IDENTITY_KEYS) if (body[key] !== undefined) identity[key] = body[key];
  return Object.keys(identity).length > 0 ? identity : undefined;
}

/** Stored identity of a sale, as the API answers it (null when not sent). */
export const storedIdentitySchema = z.object({
  deviceId: z.string().nullable(),
  ipAddress: z.string().nullable(),
  email: z.string().nullable(),
  cardBin: z.string().nullable(),
  cardLast4: z.string().nullable(),
  billingCountry: z.string().nullable(),
  shippingCountry: z.string().nullable(),
  userAgent: z.string().nullable(),
});

/** The identity fields' names in CSV files (snake case, as in `IdentityColumns`), each with its API name. */
export const IDENTITY_CSV_COLUMNS = {
  device_id: "deviceId",
  ip_address: "ipAddress",
  email: "email",
  card_bin: "cardBin",
  card_last4: "cardLast4",
  billing_country: "billingCountry",
  shipping_country: "shippingCountry",
  user_agent: "userAgent",
} as const satisfies Record<keyof IdentityColumns, keyof SaleIdentity>;

const identityObject = z.object(saleIdentityFields);

/**
 * Validates identity fields read as text (a file's cells; blank means "not sent") with the API's rules.
 * @returns the identity (undefined when every field is blank), or the first problem as
 *   `<name>: <message>, got "<value>"`, named by `nameOf` (the API name by default)
 */
export function parseIdentityText(
  text: Partial<Record<keyof SaleIdentity, string | null | undefined>>,
  nameOf: (key: keyof SaleIdentity) => string = (key) => key,
): SaleIdentity | undefined | string {
  const given: Partial<Record<keyof SaleIdentity, string>> = {};
  for (const key of IDENTITY_KEYS) {
    const value = text[key]?.trim();
    if (value) given[key] = value;
  }
  if (Object.keys(given).length === 0) return undefined;
  const parsed = identityObject.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path[0] as keyof SaleIdentity;
    const value = given[key] ?? "";
    return `${nameOf(key)}: ${issue.message}${issue.message.includes(value) ? "" : `, got "${value}"`}`;
  }
  return pickIdentity(parsed.data);
}
