/**
 * Training/serving parity (docs/fraud.md, "Session 7: training/serving parity"): the fraud model is trained
 * (and imported history scored) on features computed by a replay in memory, and served on features the sale
 * request computes from SQL. Here a varied stream of sales goes through the real sale path, each keeping the
 * features it was scored on, and the stored history is then replayed as training replays it: every feature
 * of every sale must be the same on both sides.
 */
import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import { FEATURE_NAMES } from "../fraud/model/feature_names.ts";
import type { SaleIdentity } from "../fraud/model/identity.ts";
import { parseIdentityText } from "../fraud/model/identity_schema.ts";
import { replayWithFeatures } from "../fraud/model/replay_features.ts";
import { shopAmountQuantiles } from "../fraud/model/entity_queries.ts";
import { SHOP_SLOT_MS, shopSlotStart } from "../fraud/model/features.ts";
import { createFeatureMemory } from "../fraud/model/memory.ts";
import { streamTransactions } from "../fraud/evaluate.ts";
import { loadShopHistory } from "../fraud/model/train_shop.ts";
import { openTestServices, type TestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { createTransactionInput } from "./schemas.ts";
import { insertCustomer, insertProduct } from "./transactions_fixtures.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const METHODS = ["card", "paypal", "apple_pay", "gift_card"] as const;

/** A time zone with daylight saving and an offset, so the store-local hour is not UTC's. */
const rules: FraudRules = { ...DEFAULT_FRAUD_RULES, timeZone: "America/Los_Angeles" };

/** A small deterministic generator: the stream is the same on every run. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

interface PlannedSale {
  at: number;
  customerId: number;
  items: { productId: number; quantity: number }[];
  paymentMethod: (typeof METHODS)[number];
  identity?: SaleIdentity;
  /** what happens to the sale after it is made and before the next one: a refund or a cancellation */
  then?: "refund" | "cancel";
  /** written as an import writes history (no score, maybe no customer, maybe declined), not sold here */
  imported?: { status: "completed" | "declined"; guest: boolean };
}

/** An imported order: the row and its lines as the importer writes them (no fraud score). */
async function importSale(t: TestServices, sale: PlannedSale, ref: string): Promise<void> {
  const sql = t.services.db.sql;
  const lines = [];
  for (const item of sale.items) {
    const [{ price }] = await sql<
      [{ price: number }]
    >`select price_cents as price from products where id = ${item.productId}`;
    lines.push({ ...item, price });
  }
  const total = lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
  // validated and normalised by the importer's own rules (the API's)
  const parsed = parseIdentityText({ ...sale.identity });
  if (typeof parsed === "string") throw new Error(parsed);
  const i = parsed ?? {};
  const [{ id }] = await sql<[{ id: number }]>`
    insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents, total_cents, item_count,
      created_at, device_id, ip_address, email, card_bin, card_last4, billing_country, shipping_country)
    values (${ref}, ${sale.imported!.guest ? null : sale.customerId}, ${
    sale.imported!.status
  }, ${sale.paymentMethod},
      ${total}, ${total}, ${lines.reduce((sum, line) => sum + line.quantity, 0)}, ${new Date(sale.at)},
      ${i.deviceId ?? null}, ${i.ipAddress ?? null}, ${i.email ?? null}, ${i.cardBin ?? null}, ${
    i.cardLast4 ?? null
  },
      ${i.billingCountry ?? null}, ${i.shippingCountry ?? null})
    returning id`;
  for (const line of lines) {
    await sql`insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      values (${id}, ${line.productId}, ${line.quantity}, ${line.price})`;
  }
}

/** Makes the sales through `createTransaction` in time order; the features each was scored on, by id. */
async function makeSales(t: TestServices, plan: PlannedSale[]): Promise<Map<string, Float64Array>> {
  const manager = t.api("manager");
  const live = new Map<string, Float64Array>();
  for (const [n, sale] of plan.sort((a, b) => a.at - b.at).entries()) {
    if (sale.imported) {
      await importSale(t, sale, `IMP-${n}`);
      continue;
    }
    const order = createTransactionInput.parse({
      customerId: sale.customerId,
      items: sale.items,
      paymentMethod: sale.paymentMethod,
      ...sale.identity,
    });
    const { transaction, features } = await createTransaction(t.services, order, {
      rules,
      now: new Date(sale.at),
    });
    assert.ok(features, "the sale path keeps the features it scored");
    live.set(String(transaction.id), features);
    if (sale.then && transaction.status === "completed") {
      await manager.transactions[sale.then]({ id: transaction.id, reason: "parity stream" });
    }
  }
  return live;
}

/** Feature by feature: where the live and the replayed vectors differ, with the first example of each. */
function differences(live: Map<string, Float64Array>, replayed: Map<string, Float64Array>) {
  const byFeature = new Map<string, { count: number; example: string }>();
  for (const [id, features] of live) {
    const other = replayed.get(id);
    assert.ok(other, `transaction ${id} is in the replay`);
    FEATURE_NAMES.forEach((name, i) => {
      const [a, b] = [features[i], other[i]];
      const same = Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
      if (same) return;
      const entry = byFeature.get(name) ?? { count: 0, example: `transaction ${id}: live ${a}, replay ${b}` };
      entry.count++;
      byFeature.set(name, entry);
    });
  }
  return byFeature;
}

Deno.test("a sale's live features are the replay's, feature by feature", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const random = lcg(7);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
    const product = async (category: string, priceCents: number) =>
      await insertProduct(sql, { category, priceCents, stock: 100_000 });
    const catalog = [
      await product("Accessories", 1_999),
      await product("Accessories", 4_499),
      await product("Books", 2_450),
      await product("Phones", 89_900),
      await product("Graphics Cards", 180_000),
      await product("Gift Cards", 5_000),
      await product("Laptops", 129_900),
    ];
    // A UTC midnight days back (the stream sits the same way in its days and slots on every run); refunds
    // and cancellations happen now, after every sale
    const start = Math.floor((Date.now() - 6 * DAY) / DAY) * DAY;
    const regulars: number[] = [];
    for (let i = 0; i < 14; i++) {
      regulars.push(await insertCustomer(sql, { createdAt: new Date(start - 400 * DAY) }));
    }
    const identityOf = (i: number): SaleIdentity => ({
      deviceId: `dev-${i}`,
      ipAddress: i % 4 === 0 ? `2001:db8::${i.toString(16)}` : `10.1.${i % 5}.${i}`,
      email: `regular${i}@${pick(["example.com", "mail.example", "shop.test"])}`,
      cardBin: `4${String(100_000 + i * 7).slice(0, 5)}`,
      cardLast4: String(1000 + i),
      billingCountry: "US",
      shippingCountry: i % 6 === 0 ? "CA" : "US",
    });
    const plan: PlannedSale[] = [];
    const methods = METHODS;
    // Months before: orders 40, 75 and 120 days back (inside and outside 30 and 90 days, inside 180)
    for (const [k, daysBack] of [40, 75, 120, 120, 40].entries()) {
      plan.push({
        at: start - daysBack * DAY + k * HOUR,
        customerId: regulars[k],
        items: [{ productId: catalog[k % 3], quantity: 1 + k % 2 }],
        paymentMethod: methods[(k + 1) % 4],
        identity: identityOf(k),
      });
    }
    // Four days of ordinary trade: some minutes apart, some hours; some refunded or cancelled
    let at = start;
    for (let i = 0; i < 150; i++) {
      at += random() < 0.3
        ? Math.floor(random() * 40) * SECOND + SECOND
        : Math.floor(random() * 50) * MINUTE + 7;
      const c = Math.floor(random() * regulars.length);
      const lines = 1 + Math.floor(random() * 2);
      plan.push({
        at,
        customerId: regulars[c],
        items: Array.from({ length: lines }, (_, l) => ({
          productId: catalog[(c + l * 3 + i) % catalog.length],
          quantity: 1 + Math.floor(random() * 3),
        })).filter((item, l, all) => all.findIndex((o) => o.productId === item.productId) === l),
        paymentMethod: random() < 0.8 ? methods[c % 4] : pick(methods),
        // a few sales send nothing, a few a card BIN alone; households share a device
        identity: i % 11 === 0
          ? undefined
          : i % 13 === 0
          ? { cardBin: "535522" }
          : { ...identityOf(c), deviceId: `dev-${c % 10}` },
        then: i % 17 === 5 ? "refund" : i % 23 === 7 ? "cancel" : undefined,
      });
    }
    // New accounts: signed up minutes before, buying resellable goods in bursts on one device and address,
    // two of them at the very same millisecond
    const burstAt = start + 2 * DAY + 3 * HOUR;
    for (let k = 0; k < 6; k++) {
      const signup = burstAt + k * 4 * MINUTE;
      const customerId = await insertCustomer(sql, { createdAt: new Date(signup) });
      for (let n = 0; n < 3; n++) {
        plan.push({
          at: signup + 20 * SECOND + n * 45 * SECOND + (k === 5 && n === 0 ? -4 * MINUTE : 0),
          customerId,
          items: [{ productId: catalog[3 + (k + n) % 3], quantity: 1 + n }],
          paymentMethod: "card",
          identity: {
            deviceId: "dev-burst",
            ipAddress: "203.0.113.9",
            email: `fresh${k}@mailinator.com`,
            cardBin: "400000",
            cardLast4: String(2000 + (k % 3)),
            billingCountry: "US",
            shippingCountry: "NG",
          },
        });
      }
    }
    // A block-listed customer on a shared device: blocked attempts are the app's declines
    const blocked = await insertCustomer(sql, { createdAt: new Date(start - 30 * DAY) });
    await t.api("analyst").fraud.lists.put({ customerId: blocked, list: "block", reason: "chargebacks" });
    for (let n = 0; n < 3; n++) {
      plan.push({
        at: start + 3 * DAY + n * 10 * MINUTE,
        customerId: blocked,
        items: [{ productId: catalog[5], quantity: 2 }],
        paymentMethod: "card",
        identity: { ...identityOf(2), deviceId: "dev-2", email: "someone@mail.example" },
      });
    }

    // Imported history on the devices, addresses and cards the shop's customers use: a guest's orders (no
    // customer) and declined payments, each read by later sales
    for (let k = 0; k < 8; k++) {
      plan.push({
        at: start + k * 7 * HOUR + 13 * MINUTE,
        customerId: regulars[k],
        items: [{ productId: catalog[k % catalog.length], quantity: 1 }],
        paymentMethod: "card",
        identity: { ...identityOf(k), deviceId: `dev-${k % 10}` },
        imported: { status: k % 3 === 0 ? "declined" : "completed", guest: k % 2 === 0 },
      });
    }
    assert.ok(plan.every((sale) => sale.at < Date.now()), "every sale is in the past");
    const live = await makeSales(t, plan);
    const { rows } = await loadShopHistory(sql);
    const replayed = new Map(
      replayWithFeatures(rows, rules).map((sale) => [sale.transactionId, sale.features]),
    );
    const differing = differences(live, replayed);
    assert.deepEqual(
      Object.fromEntries(differing),
      {},
      `features differ between the sale path and the replay:\n${
        [...differing].map(([name, d]) => `  ${name}: ${d.count} sales, e.g. ${d.example}`).join("\n")
      }`,
    );
    // the stream exercised what it set out to: blocked attempts, refunds, cancellations
    const [statuses] = await sql<[{ blocked: number; refunded: number; cancelled: number }]>`
      select count(*) filter (where status = 'blocked')::int as blocked,
             count(*) filter (where status = 'refunded')::int as refunded,
             count(*) filter (where status = 'cancelled')::int as cancelled
      from transactions`;
    assert.ok(
      statuses.blocked >= 3 && statuses.refunded >= 3 && statuses.cancelled >= 3,
      JSON.stringify(statuses),
    );
  } finally {
    await t.close();
  }
});

Deno.test("the one intended difference: a sale committed after its slot's snapshot was read", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customerId = await insertCustomer(sql);
    const cable = await insertProduct(sql, { priceCents: 1_000, stock: 10_000 });
    const slot = shopSlotStart(Date.now() - DAY);
    // an allow-listed customer is never blocked: every sale here is a completed one
    await t.api("analyst").fraud.lists.put({ customerId, list: "allow", reason: "known buyer" });
    // 60 completed sales in the slot before, then one sale reads the next slot's snapshot
    for (let i = 0; i < 60; i++) {
      await createTransaction(
        t.services,
        createTransactionInput.parse({
          customerId,
          productId: cable,
          quantity: 1 + i % 3,
          paymentMethod: "card",
        }),
        { rules, now: new Date(slot - SHOP_SLOT_MS + i * SECOND) },
      );
    }
    const read = await shopAmountQuantiles(sql, new Date(slot + SECOND));
    // A sale stamped before that slot's start but committed after the read (in flight at the boundary):
    // the request keeps the snapshot it read for the whole slot; the replay, reading the stored history,
    // puts the sale before the slot. One instance's reads cannot see a sale that was not yet committed.
    // (written as its own statement writes it, after the read: what a concurrent request does)
    await importSale(t, {
      at: slot - 1,
      customerId,
      items: [{ productId: cable, quantity: 4 }],
      paymentMethod: "card",
      imported: { status: "completed", guest: false },
    }, "LATE-1");
    const after = await shopAmountQuantiles(sql, new Date(slot + 2 * SECOND));
    assert.deepEqual(after, read, "the request's snapshot of the slot stays as read");
    const memory = createFeatureMemory();
    const { rows } = await loadShopHistory(sql);
    for (const { input } of streamTransactions(rows)) {
      memory.remember({
        customerId: input.customerId,
        atMs: input.timestamp.getTime(),
        totalCents: input.items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
        status: input.status,
        paymentMethod: input.paymentMethod,
        lines: input.items,
        identity: {},
      });
    }
    const replayed = memory.statsFor(String(customerId), {}, slot + 2 * SECOND).shopAmountQuantiles!;
    assert.equal(replayed[100], 4_000, "the replay's snapshot has the late sale");
    assert.equal(read![100], 3_000, "the request's has not");
  } finally {
    await t.close();
  }
});
