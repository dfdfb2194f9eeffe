/**
 * Plain-word reasons for a model score: the features that pushed this sale's score up, each said the way an
 * analyst would, with money in the store's currency.
 */
import { formatMoney, formatRatio } from "../checks/_common.ts";
import { FEATURE_NAMES, type FeatureName, IDENTITY_FEATURES } from "./feature_names.ts";

function duration(minutes: number): string {
  if (minutes < 1) return `${Math.max(1, Math.round(minutes * 60))} seconds`;
  if (minutes < 120) return `${Math.round(minutes)} minutes`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes / 1440)} days`;
}

const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;
const accounts = (n: number) => `${n} other account${n === 1 ? "" : "s"}`;
const ratio = formatRatio;

/** What a missing value (NaN: nothing to compare with, nothing sent) means, said for an analyst. */
function describeMissing(feature: FeatureName): string {
  switch (feature) {
    case "amount_vs_own_median":
      return "The customer has no earlier orders to compare this amount with";
    case "amount_vs_category_norm":
      return "Nothing in this order's categories sold before to compare its prices with";
    case "amount_shop_percentile":
      return "The shop has too few completed orders to compare this amount with";
    case "country_mismatch":
      return "No billing or shipping country was sent with the order";
    case "disposable_email":
    case "new_email_domain":
    case "email_accounts":
      return "No email address was sent with the order";
    default:
      return IDENTITY_FEATURES.includes(feature)
        ? "No device, IP address or card was sent with the order"
        : "Not known for this order";
  }
}

/** One sentence about a feature's value on this sale. */
export function describeFeature(feature: FeatureName, value: number, currency: string): string {
  // a model can learn that "unknown" is risky; the reason then has to say what is unknown, not "NaN×"
  if (Number.isNaN(value)) return describeMissing(feature);
  switch (feature) {
    case "account_age_minutes":
      return `The account was created ${duration(value)} before this order`;
    case "first_purchase":
      return "This is the account's first completed order";
    case "customer_orders_1h":
      return `The customer ordered ${times(value)} in the hour before`;
    case "customer_orders_24h":
      return `The customer ordered ${times(value)} in the 24 hours before`;
    case "customer_spend_24h_cents":
      return `The customer spent ${formatMoney(value, currency)} in 24 hours, this order included`;
    case "amount_cents":
      return `The order is for ${formatMoney(value, currency)}`;
    case "amount_vs_own_median":
      return `The order is ${ratio(value)} this customer's usual amount`;
    case "amount_vs_category_norm":
      return `A line costs ${ratio(value)} what its category usually sells for`;
    case "amount_shop_percentile":
      return value >= 1
        ? "The order is larger than any of the shop's recent orders"
        : `The order is larger than ${Math.floor(value * 100)}% of the shop's recent orders`;
    case "max_quantity":
      return `${value} units of one product in one order`;
    case "high_resale_units":
      return `${value} units of easy-to-resell goods`;
    case "device_accounts":
      return `The device was used by ${accounts(value)} in the last 30 days`;
    case "device_orders_1h":
      return `The device placed orders ${times(value)} in the hour before`;
    case "ip_accounts":
      return `The IP address was used by ${accounts(value)} in the last 30 days`;
    case "ip_orders_1h":
      return `The IP address placed orders ${times(value)} in the hour before`;
    case "email_accounts":
      return `The email address was used by ${accounts(value)} in the last 30 days`;
    case "card_accounts":
      return `The card was used by ${accounts(value)} in the last 30 days`;
    case "seconds_since_device_or_ip_seen":
      return value >= 1e9
        ? "The device and IP address were never seen before"
        : `The device or IP address ordered ${duration(value / 60)} earlier`;
    case "country_mismatch":
      return "The billing and shipping countries differ";
    case "disposable_email":
      return "The email address is on a throw-away mail service";
    case "new_email_domain":
      return "No customer used this email domain before";
    case "local_hour":
      return `Ordered at ${String(value).padStart(2, "0")}:00 store time`;
    case "declines_24h":
      return `The customer had ${times(value)} a declined or blocked order in 24 hours`;
    case "linked_declines_24h":
      return `The same device, IP or card had ${value} declined or blocked orders in 24 hours`;
    case "payment_methods_30d":
      return `${value} different payment methods in 30 days`;
    case "new_payment_method":
      return "A payment method this customer never used before";
  }
}

/** Reasons with points: the score shared among the contributing features in proportion to their push. */
export function modelReasons(
  score: number,
  parts: readonly { feature: FeatureName; logOdds: number }[],
  features: ArrayLike<number>,
  currency: string,
): { code: FeatureName; message: string; contribution: number }[] {
  const total = parts.reduce((sum, p) => sum + p.logOdds, 0);
  return parts.map((p) => ({
    code: p.feature,
    message: describeFeature(p.feature, features[FEATURE_NAMES.indexOf(p.feature)], currency),
    contribution: total > 0 ? Math.round(10 * score * p.logOdds / total) / 10 : 0,
  }));
}
