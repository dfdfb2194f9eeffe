import assert from "node:assert/strict";
import { createFeatureMemory, LINK_WINDOW_MS } from "./memory.ts";
import { CATEGORY_NORM_MS, SHOP_AMOUNT_MIN, SHOP_AMOUNT_WINDOW, SHOP_SLOT_MS } from "./features.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2025-01-01T00:00:00Z");
const sale = (customerId: string, atMs: number, identity = {}, status = "completed") => ({
  customerId,
  atMs,
  totalCents: 1_000,
  status,
  paymentMethod: "card",
  lines: [{ category: "phones", unitPriceCents: 1_000, quantity: 1 }],
  identity,
});

Deno.test("entity stats count other accounts on the same device within the link window", () => {
  const memory = createFeatureMemory();
  memory.remember(sale("a", T0, { deviceId: "d1", ipAddress: "732758368.79" }));
  memory.remember(sale("b", T0 + 1_000, { deviceId: "d1", ipAddress: "43.173.1.96" }, "declined"));
  const stats = memory.statsFor("c", { deviceId: "d1", ipAddress: "43.173.1.96" }, T0 + 2_000);
  assert.equal(stats.device?.accounts, 2);
  assert.equal(stats.device?.orders1h, 2);
  assert.equal(stats.device?.declines24h, 1);
  // The numeric and the dotted form of one IPv4 are the same key.
  assert.equal(stats.ip?.accounts, 2);
  assert.equal(stats.device?.lastSeenMs, T0 + 1_000);
  // The customer itself is not "another account".
  assert.equal(memory.statsFor("a", { deviceId: "d1" }, T0 + 2_000).device?.accounts, 1);
  // Outside the window the link is forgotten.
  assert.equal(memory.statsFor("c", { deviceId: "d1" }, T0 + LINK_WINDOW_MS + 5_000).device?.accounts, 0);
});

Deno.test("stats answer only from what was remembered: a later sale is invisible until it is remembered", () => {
  const memory = createFeatureMemory();
  const before = memory.statsFor("a", { email: "x@new.org" }, T0);
  assert.equal(before.email?.accounts, 0);
  assert.equal(before.emailDomainSeen, false);
  assert.deepEqual(before.customerPast, []);
  memory.remember(sale("a", T0, { email: "x@new.org" }));
  const after = memory.statsFor("b", { email: "y@new.org" }, T0 + 1);
  assert.equal(after.emailDomainSeen, true);
  assert.equal(after.email?.accounts, 0);
  assert.equal(memory.statsFor("a", {}, T0 + 1).customerPast.length, 1);
  assert.equal(memory.statsFor("a", {}, T0 + 1).customerMedianCents, 1_000);
});

Deno.test("category norms: five completed lines of 90 days, as of the start of the slot", () => {
  const memory = createFeatureMemory();
  for (let i = 0; i < 4; i++) memory.remember(sale(`c${i}`, T0 + i));
  assert.equal(memory.statsFor("z", {}, T0 + SHOP_SLOT_MS).categoryNormCents.phones, undefined);
  memory.remember(sale("c5", T0 + SHOP_SLOT_MS + 5));
  assert.equal(
    memory.statsFor("z", {}, T0 + SHOP_SLOT_MS + 10).categoryNormCents.phones,
    undefined,
    "a line of the current slot waits for the next slot",
  );
  assert.equal(Math.round(memory.statsFor("z", {}, T0 + 2 * SHOP_SLOT_MS).categoryNormCents.phones), 1_000);
  // 90 days after the first four lines only the fifth is left: no norm
  assert.equal(
    memory.statsFor("z", {}, T0 + CATEGORY_NORM_MS + SHOP_SLOT_MS).categoryNormCents.phones,
    undefined,
  );
});

Deno.test("the shop's amount quantiles come from its latest completed orders before the slot, once there are enough", () => {
  const memory = createFeatureMemory();
  const order = (i: number, totalCents: number, status = "completed") => ({
    ...sale(`c${i}`, T0 + i * 1_000),
    totalCents,
    status,
  });
  for (let i = 0; i < SHOP_AMOUNT_MIN - 1; i++) memory.remember(order(i, 100 * (i + 1)));
  assert.equal(memory.statsFor("x", {}, T0 + DAY).shopAmountQuantiles, undefined);
  memory.remember(order(SHOP_AMOUNT_MIN, 999_999, "declined"));
  memory.remember(order(SHOP_AMOUNT_MIN + 1, 999_999, "blocked"));
  assert.equal(
    memory.statsFor("x", {}, T0 + 2 * DAY).shopAmountQuantiles,
    undefined,
    "a declined or blocked attempt is no sale",
  );
  memory.remember(order(SHOP_AMOUNT_MIN + 2, 100 * SHOP_AMOUNT_MIN, "refunded"));
  const quantiles = memory.statsFor("x", {}, T0 + 3 * DAY).shopAmountQuantiles!;
  assert.equal(quantiles.length, 101, "a sale refunded since was a sale");
  assert.equal(quantiles[0], 100);
  assert.equal(quantiles[100], 100 * SHOP_AMOUNT_MIN);
  // The same within the slot (as the request caches them), read again in the next one.
  memory.remember({ ...order(SHOP_AMOUNT_MIN + 3, 1_000_000), atMs: T0 + 3 * DAY + 1_000 });
  assert.equal(
    memory.statsFor("x", {}, T0 + 3 * DAY + 2_000).shopAmountQuantiles![100],
    100 * SHOP_AMOUNT_MIN,
  );
  assert.equal(memory.statsFor("x", {}, T0 + 3 * DAY + SHOP_SLOT_MS).shopAmountQuantiles![100], 1_000_000);
  // Only the latest SHOP_AMOUNT_WINDOW completed orders count.
  for (let i = 0; i < SHOP_AMOUNT_WINDOW; i++) memory.remember({ ...order(i, 7), atMs: T0 + 4 * DAY + i });
  assert.equal(memory.statsFor("x", {}, T0 + 5 * DAY).shopAmountQuantiles![100], 7);
});

Deno.test("the customer's orders of 30 days, and the median of 90, whatever the memory still holds", () => {
  const memory = createFeatureMemory();
  memory.remember({ ...sale("a", T0), totalCents: 9_000 });
  memory.remember({ ...sale("a", T0 + 50 * DAY), totalCents: 1_000 });
  memory.remember({ ...sale("a", T0 + 70 * DAY), totalCents: 3_000 });
  const stats = memory.statsFor("a", {}, T0 + 95 * DAY);
  assert.deepEqual(stats.customerPast.map((o) => o.totalCents), [3_000]);
  assert.equal(stats.customerMedianCents, 2_000, "the order of 95 days before is out of the median");
});
