import assert from "node:assert/strict";
import {
  computeFeatures,
  type EntityStats,
  FEATURE_NAMES,
  type FeatureName,
  type FeatureStats,
} from "./features.ts";
import type { SaleIdentity } from "./identity.ts";
import type { FraudTransaction } from "../types.ts";

const NOW = new Date("2025-06-02T15:00:00Z");
const MIN = 60_000, HOUR = 60 * MIN, DAY = 24 * HOUR;

function sale(over: Partial<FraudTransaction> = {}): FraudTransaction {
  return {
    customerId: "c1",
    customerCreatedAt: new Date(NOW.getTime() - 90 * MIN),
    createdAt: NOW,
    items: [{ productId: "p", category: "phones", unitPriceCents: 50_000, quantity: 2 }],
    totalCents: 100_000,
    paymentMethod: "card",
    ...over,
  };
}

function stats(over: Partial<FeatureStats> = {}): FeatureStats {
  return { customerPast: [], categoryNormCents: {}, ...over };
}

function features(
  tx: FraudTransaction,
  identity: SaleIdentity,
  s: FeatureStats,
): Record<FeatureName, number> {
  const vector = computeFeatures(tx, identity, s, {
    timeZone: "Europe/London",
    highResale: (c) => c === "phones",
  });
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, vector[i]])) as Record<FeatureName, number>;
}

const entity = (over: Partial<EntityStats> = {}): EntityStats => ({
  accounts: 0,
  orders1h: 0,
  declines24h: 0,
  lastSeenMs: null,
  ...over,
});

Deno.test("account age is in minutes; a first purchase is one without an earlier completed order", () => {
  const f = features(sale(), {}, stats());
  assert.equal(f.account_age_minutes, 90);
  assert.equal(f.first_purchase, 1);
  const declinedOnly = features(
    sale(),
    {},
    stats({
      customerPast: [{ atMs: NOW.getTime() - MIN, totalCents: 5, status: "declined", paymentMethod: "card" }],
    }),
  );
  assert.equal(declinedOnly.first_purchase, 1);
  assert.equal(declinedOnly.declines_24h, 1);
});

Deno.test("customer velocity counts orders in the last hour and day, and spend includes this order", () => {
  const at = (ago: number, status = "completed") => ({
    atMs: NOW.getTime() - ago,
    totalCents: 1_000,
    status,
    paymentMethod: "card",
  });
  const f = features(sale(), {}, stats({ customerPast: [at(10 * MIN), at(5 * HOUR), at(2 * DAY)] }));
  assert.equal(f.customer_orders_1h, 1);
  assert.equal(f.customer_orders_24h, 2);
  assert.equal(f.customer_spend_24h_cents, 102_000);
  assert.equal(f.first_purchase, 0);
});

Deno.test("a later order in the stats never counts (only the past is read)", () => {
  const future = { atMs: NOW.getTime() + MIN, totalCents: 1, status: "completed", paymentMethod: "card" };
  const f = features(sale(), {}, stats({ customerPast: [future] }));
  assert.equal(f.customer_orders_1h, 0);
  assert.equal(f.first_purchase, 1);
});

Deno.test("amount is compared to the customer's median and the category's norm; quantities and resale units", () => {
  const f = features(
    sale(),
    {},
    stats({ customerMedianCents: 20_000, categoryNormCents: { phones: 25_000 } }),
  );
  assert.equal(f.amount_vs_own_median, 5);
  assert.equal(f.amount_vs_category_norm, 4);
  assert.equal(f.max_quantity, 2);
  assert.equal(f.high_resale_units, 2);
  const unknown = features(sale(), {}, stats());
  assert.ok(Number.isNaN(unknown.amount_vs_own_median));
  assert.ok(Number.isNaN(unknown.amount_vs_category_norm));
});

Deno.test("entity links: accounts and velocity per device, IP, email and card; missing when not sent", () => {
  const f = features(
    sale(),
    { deviceId: "d", ipAddress: "1.2.3.4" },
    stats({
      device: entity({ accounts: 3, orders1h: 2, lastSeenMs: NOW.getTime() - 30_000 }),
      ip: entity({ accounts: 5, orders1h: 4, declines24h: 2, lastSeenMs: NOW.getTime() - 90_000 }),
      email: entity({ accounts: 1 }),
      card: entity({ accounts: 2, declines24h: 1 }),
    }),
  );
  assert.equal(f.device_accounts, 3);
  assert.equal(f.device_orders_1h, 2);
  assert.equal(f.ip_accounts, 5);
  assert.equal(f.ip_orders_1h, 4);
  assert.equal(f.email_accounts, 1);
  assert.equal(f.card_accounts, 2);
  assert.equal(f.seconds_since_device_or_ip_seen, 30);
  assert.equal(f.linked_declines_24h, 3);
  const none = features(sale(), {}, stats());
  for (const name of ["device_accounts", "ip_accounts", "seconds_since_device_or_ip_seen"] as const) {
    assert.ok(Number.isNaN(none[name]), name);
  }
  const neverSeen = features(sale(), { deviceId: "d" }, stats({ device: entity() }));
  assert.equal(neverSeen.seconds_since_device_or_ip_seen, 1e9);
});

Deno.test("country mismatch, disposable and new email domains", () => {
  const f = features(
    sale(),
    { billingCountry: "gb", shippingCountry: "NG", email: "x@mailinator.com" },
    stats({ emailDomainSeen: false }),
  );
  assert.equal(f.country_mismatch, 1);
  assert.equal(f.disposable_email, 1);
  assert.equal(f.new_email_domain, 1);
  const same = features(
    sale(),
    { billingCountry: "GB", shippingCountry: "GB", email: "a@gmail.com" },
    stats({
      emailDomainSeen: true,
    }),
  );
  assert.equal(same.country_mismatch, 0);
  assert.equal(same.disposable_email, 0);
  assert.equal(same.new_email_domain, 0);
  assert.ok(Number.isNaN(features(sale(), { billingCountry: "GB" }, stats()).country_mismatch));
});

Deno.test("store-local hour and payment methods", () => {
  const f = features(
    sale({ paymentMethod: "paypal" }),
    {},
    stats({
      customerPast: [{
        atMs: NOW.getTime() - DAY * 2,
        totalCents: 1,
        status: "completed",
        paymentMethod: "card",
      }],
    }),
  );
  assert.equal(f.local_hour, 16); // 15:00 UTC is 16:00 in London in June
  assert.equal(f.payment_methods_30d, 2);
  assert.equal(f.new_payment_method, 1);
});

Deno.test("the amount's place among the shop's recent orders does not depend on the shop's price scale", () => {
  // The same shop at two price scales (one currency 150 times the other): the order 3 times the median.
  const quantiles = Array.from({ length: 101 }, (_, i) => 1_000 + 100 * i);
  const scaled = quantiles.map((q) => 150 * q);
  const at = (q: readonly number[], totalCents: number) =>
    features(sale({ totalCents }), {}, stats({ shopAmountQuantiles: q })).amount_shop_percentile;
  assert.ok(Math.abs(at(quantiles, 6_000) - 0.5) < 1e-9);
  assert.ok(Math.abs(at(scaled, 150 * 6_000) - 0.5) < 1e-9);
  assert.ok(Math.abs(at(quantiles, 6_050) - 0.505) < 1e-9, "interpolated between quantiles");
  assert.equal(at(quantiles, 500), 0);
  assert.equal(at(quantiles, 99_000), 1);
  // A shop with too few completed orders has no distribution: unknown, not 0.
  assert.ok(Number.isNaN(features(sale(), {}, stats()).amount_shop_percentile));
});
