// The names alone, so that fraud/types.ts can name a reason after a feature without importing the
// feature code (which imports the types).
/** Feature names, in vector order; docs/fraud.md describes each. */
export const FEATURE_NAMES = [
  "account_age_minutes",
  "first_purchase",
  "customer_orders_1h",
  "customer_orders_24h",
  "customer_spend_24h_cents",
  "amount_cents",
  "amount_vs_own_median",
  "amount_vs_category_norm",
  "max_quantity",
  "high_resale_units",
  "device_accounts",
  "device_orders_1h",
  "ip_accounts",
  "ip_orders_1h",
  "email_accounts",
  "card_accounts",
  "seconds_since_device_or_ip_seen",
  "country_mismatch",
  "disposable_email",
  "new_email_domain",
  "local_hour",
  "declines_24h",
  "linked_declines_24h",
  "payment_methods_30d",
  "new_payment_method",
  "amount_shop_percentile",
] as const;

export type FeatureName = typeof FEATURE_NAMES[number];

/** Features that exist only when a shop sends identity fields (device, IP, email, card, countries). */
export const IDENTITY_FEATURES: readonly FeatureName[] = [
  "device_accounts",
  "device_orders_1h",
  "ip_accounts",
  "ip_orders_1h",
  "email_accounts",
  "card_accounts",
  "seconds_since_device_or_ip_seen",
  "country_mismatch",
  "disposable_email",
  "new_email_domain",
  "linked_declines_24h",
];
