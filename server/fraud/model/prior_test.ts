import assert from "node:assert/strict";
import { loadPriorModel } from "./prior.ts";
import { modelScore } from "./model.ts";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";
import { PRIOR_MONOTONE } from "./prior_directions.ts";

/** A few sales as vectors: identity sent or not, a first order or a regular's, small or large. */
function baseSales(): Float64Array[] {
  const sale = (values: Partial<Record<FeatureName, number>>) =>
    Float64Array.from(FEATURE_NAMES, (name) => values[name] ?? NaN);
  const identity = {
    device_accounts: 0,
    device_orders_1h: 0,
    ip_accounts: 1,
    ip_orders_1h: 0,
    email_accounts: 0,
    card_accounts: 0,
    seconds_since_device_or_ip_seen: 1e9,
    country_mismatch: 0,
    disposable_email: 0,
    new_email_domain: 0,
    linked_declines_24h: 0,
  };
  const regular = {
    account_age_minutes: 400 * 1440,
    first_purchase: 0,
    customer_orders_1h: 0,
    customer_orders_24h: 1,
    amount_vs_own_median: 1.1,
    amount_vs_category_norm: 1,
    max_quantity: 1,
    high_resale_units: 0,
    declines_24h: 0,
    amount_shop_percentile: 0.5,
  };
  const newcomer = { ...regular, account_age_minutes: 3, first_purchase: 1, customer_orders_24h: 0 };
  return [
    sale(regular),
    sale({ ...regular, ...identity }),
    sale(newcomer),
    sale({ ...newcomer, ...identity, amount_vs_category_norm: 4, amount_shop_percentile: 0.97 }),
  ];
}

/** Values of a feature from low to high, spanning what the generators produce. */
const SWEEP: Partial<Record<FeatureName, number[]>> = {
  account_age_minutes: [0, 0.05, 1, 10, 60, 1440, 30 * 1440, 400 * 1440],
  amount_vs_own_median: [0.2, 1, 2, 5, 20],
  amount_vs_category_norm: [0.2, 1, 2, 5, 20],
  country_mismatch: [0, 1],
  disposable_email: [0, 1],
};

Deno.test("the shipped prior follows its monotone directions over the whole score, not only per split", async () => {
  const model = await loadPriorModel();
  assert.ok(Object.keys(PRIOR_MONOTONE).length >= 15);
  for (const [name, direction] of Object.entries(PRIOR_MONOTONE) as [FeatureName, 1 | -1][]) {
    const f = FEATURE_NAMES.indexOf(name);
    const values = SWEEP[name] ?? [0, 1, 2, 3, 5, 8, 13, 30];
    for (const base of baseSales()) {
      let previous: number | undefined;
      for (const value of values) {
        const row = Float64Array.from(base);
        row[f] = value;
        const score = modelScore(model, row);
        if (previous !== undefined) {
          assert.ok(direction * (score - previous) >= 0, `${name} = ${value}: ${score} after ${previous}`);
        }
        previous = score;
      }
    }
  }
});

Deno.test("the shipped prior scores a brand-new account above an old one, all else equal", async () => {
  const model = await loadPriorModel();
  const [regular] = baseSales();
  const fresh = Float64Array.from(regular);
  fresh[FEATURE_NAMES.indexOf("account_age_minutes")] = 0.05;
  assert.ok(modelScore(model, fresh) > modelScore(model, regular));
});
