/**
 * Normalises the identity fields of a sale into the keys that link accounts: the same device, network
 * address, email or card seen on several customers is the strongest single fraud signal there is.
 */

/** Identity and context a sale may carry; every field is optional. */
export interface SaleIdentity {
  deviceId?: string | null;
  ipAddress?: string | null;
  email?: string | null;
  cardBin?: string | null;
  cardLast4?: string | null;
  billingCountry?: string | null;
  shippingCountry?: string | null;
  userAgent?: string | null;
}

/** The identity columns of a `transactions` row (migration 0110). */
export interface IdentityColumns {
  device_id: string | null;
  ip_address: string | null;
  email: string | null;
  card_bin: string | null;
  card_last4: string | null;
  billing_country: string | null;
  shipping_country: string | null;
  user_agent: string | null;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted IPv4 of a parsed address, or null when it is not a valid IPv4. */
export function parseIpv4(text: string): string | null {
  const match = IPV4.exec(text);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts.join(".") : null;
}

/** Whether `text` is a syntactically valid IPv6 address (compressed or full form, optional IPv4 tail). */
export function isIpv6(text: string): boolean {
  if (!text.includes(":") || text.length > 45) return false;
  try {
    // URL parsing applies the WHATWG IPv6 grammar, so no home-made regular expression is needed.
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** The device id as it links sales (trimmed; undefined when not sent), as the sale path's SQL compares it. */
export function deviceKey(raw: string | null | undefined): string | undefined {
  return raw?.trim() || undefined;
}

/**
 * The key an IP address links accounts by. Dotted IPv4 and IPv6 are canonicalised; a plain number (some
 * datasets store IPv4 as a uint32, even with a fraction) becomes dotted IPv4; anything else is kept as an
 * opaque key, so an odd value still links the rows that share it instead of rejecting them.
 */
export function ipKey(raw: string | null | undefined): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const v4 = parseIpv4(text);
  if (v4) return v4;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const value = Math.floor(Number(text));
    if (value >= 0 && value <= 0xffffffff) {
      return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
    }
  }
  if (isIpv6(text)) return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  return text.toLowerCase();
}

/** The lower-cased email, or undefined. */
export function emailKey(raw: string | null | undefined): string | undefined {
  const text = raw?.trim().toLowerCase();
  return text ? text : undefined;
}

/** The domain of an email address, or undefined. */
export function emailDomain(raw: string | null | undefined): string | undefined {
  const email = emailKey(raw);
  const at = email?.lastIndexOf("@") ?? -1;
  return email && at > 0 ? email.slice(at + 1) : undefined;
}

/** The card key: BIN and last four together identify a card well enough to link accounts. */
export function cardKey(
  bin: string | null | undefined,
  last4: string | null | undefined,
): string | undefined {
  const b = bin?.trim();
  if (!b) return undefined;
  return `${b}:${last4?.trim() ?? ""}`;
}

/** Domains of throw-away mailbox services (a short list of the most common; unknown domains also count as new). */
export const DISPOSABLE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  "mailinator.com",
  "guerrillamail.com",
  "10minutemail.com",
  "tempmail.com",
  "temp-mail.org",
  "yopmail.com",
  "trashmail.com",
  "sharklasers.com",
  "getnada.com",
  "dispostable.com",
  "maildrop.cc",
  "throwawaymail.com",
  "fakeinbox.com",
  "mintemail.com",
  "emailondeck.com",
]);
