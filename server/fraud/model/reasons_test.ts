import assert from "node:assert/strict";
import { describeFeature, modelReasons } from "./reasons.ts";
import { FEATURE_NAMES } from "./features.ts";

Deno.test("every feature has a sentence; money is in the store's currency", () => {
  for (const name of FEATURE_NAMES) assert.ok(describeFeature(name, 3, "GBP").length > 10, name);
  assert.equal(describeFeature("amount_cents", 123_456, "GBP"), "The order is for £1,234.56");
  assert.equal(
    describeFeature("account_age_minutes", 0.5, "GBP"),
    "The account was created 30 seconds before this order",
  );
  assert.equal(
    describeFeature("device_accounts", 1, "GBP"),
    "The device was used by 1 other account in the last 30 days",
  );
});

Deno.test("reason points share the score in proportion to each feature's push", () => {
  const features = new Float64Array(FEATURE_NAMES.length);
  const reasons = modelReasons(
    80,
    [{ feature: "device_accounts", logOdds: 3 }, { feature: "first_purchase", logOdds: 1 }],
    features,
    "USD",
  );
  assert.deepEqual(reasons.map((r) => [r.code, r.contribution]), [["device_accounts", 60], [
    "first_purchase",
    20,
  ]]);
});

Deno.test("a missing value is said as what is unknown, never as NaN", () => {
  for (const name of FEATURE_NAMES) {
    const text = describeFeature(name, NaN, "GBP");
    assert.ok(!/NaN/.test(text), `${name}: ${text}`);
  }
  assert.equal(
    describeFeature("amount_vs_own_median", NaN, "GBP"),
    "The customer has no earlier orders to compare this amount with",
  );
  assert.equal(
    describeFeature("ip_orders_1h", NaN, "GBP"),
    "No device, IP address or card was sent with the order",
  );
  assert.equal(describeFeature("account_age_minutes", NaN, "GBP"), "Not known for this order");
});
