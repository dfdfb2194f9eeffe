// The prior's monotone directions live beside the model code (not in the build script) because the cold-start
// novelty of session 9 (`novelty.ts`) reads the same directions, in the bench as in the build.
import type { FeatureName } from "./feature_names.ts";

/**
 * Directions that hold in any shop: more accounts or orders on one device, IP, email or card, more declines,
 * larger amounts than the customer's or the category's usual never make a sale safer. Since session 5 also:
 * more of the customer's orders in a day, more units (high-resale or any), a first order, a new email domain,
 * billing and shipping countries that differ never make it safer, and an older account never makes it
 * riskier; with one split per tree this holds for the prior's whole score.
 */
export const PRIOR_MONOTONE: Partial<Record<FeatureName, 1 | -1>> = {
  account_age_minutes: -1,
  first_purchase: 1,
  customer_orders_24h: 1,
  max_quantity: 1,
  high_resale_units: 1,
  country_mismatch: 1,
  new_email_domain: 1,
  device_accounts: 1,
  ip_accounts: 1,
  email_accounts: 1,
  card_accounts: 1,
  device_orders_1h: 1,
  ip_orders_1h: 1,
  customer_orders_1h: 1,
  declines_24h: 1,
  linked_declines_24h: 1,
  disposable_email: 1,
  amount_vs_own_median: 1,
  amount_vs_category_norm: 1,
};
