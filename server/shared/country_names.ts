/**
 * A sale's billing and shipping countries as the drawer says them: names, not ISO codes ("IE" read as a
 * browser to some staff). Shared by the server's render and the island, so it uses only `Intl`.
 */
const regions = new Intl.DisplayNames(["en"], { type: "region" });

/** `IE` -> "Ireland"; a code `Intl` does not know is shown as stored. */
export function countryName(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * Billing and shipping in words, or null when neither was sent.
 * @example billingAndShipping("IE", "IE") // "Ireland (billing and shipping)"
 * @example billingAndShipping("IE", "GB") // "billing Ireland · shipping United Kingdom"
 */
export function billingAndShipping(billing: string | null, shipping: string | null): string | null {
  if (!billing && !shipping) return null;
  if (billing && billing === shipping) return `${countryName(billing)} (billing and shipping)`;
  const say = (code: string | null) => code ? countryName(code) : "not given";
  return `billing ${say(billing)} · shipping ${say(shipping)}`;
}
