import assert from "node:assert/strict";
import { startTestApp } from "../../testing/test_app.ts";
import { insertProduct } from "../../transactions/transactions_fixtures.ts";
import type { Sql } from "../../db/mod.ts";
import { DEFAULT_FRAUD_RULES } from "../rules.ts";
import { HIGH_RESALE_CATEGORIES } from "../categories.ts";
import { activateModelVersion, saveCandidateModel } from "./model_queries.ts";
import { dayStartMs } from "./operating_point.ts";
import { forgetOperatingPoint, operatingPointFor } from "./operating_point_queries.ts";
import { loadPriorModel } from "./prior.ts";
import { scoreHistoryWithPrior } from "./prior_history.ts";

const DAY = 86_400_000;
const MINUTE = 60_000;

interface Sale {
  ref: string;
  customerId: number;
  at: Date;
  productId: number;
  priceCents: number;
  quantity: number;
  device: string;
  ip: string;
  priorScore?: number;
}

/** Writes sales as an import would: no fraud score of the prior. */
async function insertSales(sql: Sql, sales: Sale[]): Promise<void> {
  for (const s of sales) {
    const total = s.priceCents * s.quantity;
    const [{ id }] = await sql<[{ id: number }]>`
      insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
        created_at, device_id, ip_address, card_bin, card_last4, billing_country, shipping_country,
        fraud_prior_score)
      values (${s.ref}, ${s.customerId}, 'card', ${total}, ${total}, ${s.quantity}, ${s.at}, ${s.device}, ${s.ip},
        '411111', '1111', 'DE', 'DE', ${s.priorScore ?? null})
      returning id`;
    await sql`insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
      values (${id}, ${s.productId}, ${s.quantity}, ${s.priceCents})`;
  }
}

async function customers(sql: Sql, prefix: string, createdAt: Date[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, at] of createdAt.entries()) {
    const [{ id }] = await sql<[{ id: number }]>`
      insert into customers (code, name, email, created_at)
      values (${`${prefix}-${i}`}, ${`${prefix} ${i}`}, ${`${prefix.toLowerCase()}${i}@example.com`}, ${at})
      returning id`;
    ids.push(id);
  }
  return ids;
}

async function priorScores(sql: Sql): Promise<Map<string, number | null>> {
  const rows = await sql<{ order_ref: string; score: number | null }[]>`
    select order_ref, fraud_prior_score as score from transactions`;
  return new Map(rows.map((r) => [r.order_ref, r.score]));
}

Deno.test("imported history gets the prior's scores, each from the sales before it, and the point at once", async (t) => {
  const app = await startTestApp();
  const sql = app.services.db.sql;
  const now = new Date();
  const today = dayStartMs(now.getTime());
  try {
    const cable = await insertProduct(sql, { category: "Accessories", priceCents: 1999 });
    const phone = await insertProduct(sql, { category: HIGH_RESALE_CATEGORIES[0], priceCents: 89_900 });
    const regulars = await customers(sql, "REG", Array(60).fill(new Date(today - 400 * DAY)));
    // An ordinary shop over the 4 days before today: 80 sales a day by its regular customers
    const history: Sale[] = [];
    for (const d of [4, 3, 2, 1]) {
      for (let i = 0; i < 80; i++) {
        const c = (i * 7 + d * 13) % regulars.length;
        history.push({
          ref: `IMP-${d}-${i}`,
          customerId: regulars[c],
          at: new Date(today - d * DAY + i * 15 * MINUTE),
          productId: cable,
          priceCents: 1999,
          quantity: 1 + (i % 2),
          device: `dev-${c}`,
          ip: `10.0.0.${c}`,
        });
      }
    }
    // Two days before: new accounts, minutes old, on one device and address, buying phones in threes
    const burst = await customers(
      sql,
      "BURST",
      Array.from({ length: 10 }, (_, i) => new Date(today - 2 * DAY + 20 * 60 * MINUTE + i * MINUTE)),
    );
    for (const [i, id] of burst.entries()) {
      history.push({
        ref: `IMP-B-${i}`,
        customerId: id,
        at: new Date(today - 2 * DAY + 20 * 60 * MINUTE + i * MINUTE + 30_000),
        productId: phone,
        priceCents: 89_900,
        quantity: 3,
        device: "dev-burst",
        ip: "203.0.113.7",
      });
    }
    // Older than the window, and one sale the sale path already scored
    history.push({
      ref: "OLD-1",
      customerId: regulars[0],
      at: new Date(today - 120 * DAY),
      productId: cable,
      priceCents: 1999,
      quantity: 1,
      device: "dev-0",
      ip: "10.0.0.0",
    });
    history.push({
      ref: "LIVE-1",
      customerId: regulars[1],
      at: new Date(today - DAY + 22 * 60 * MINUTE),
      productId: cable,
      priceCents: 1999,
      quantity: 1,
      device: "dev-1",
      ip: "10.0.0.1",
      priorScore: 42,
    });
    await insertSales(sql, history);

    let first = new Map<string, number | null>();
    await t.step("before: no prior scores, no point; after: every sale of the window has one", async () => {
      forgetOperatingPoint(sql);
      assert.equal(await operatingPointFor(sql, now), null);
      const result = await scoreHistoryWithPrior(sql, DEFAULT_FRAUD_RULES, { now });
      // 330 sales without a score, and LIVE-1 whose score came from the sale path but no link flags
      assert.deepEqual(result, { missing: 331, scored: 331, atColdStart: true });
      first = await priorScores(sql);
      assert.equal(first.get("OLD-1"), null, "older than the window: left alone");
      assert.equal(first.get("LIVE-1"), 42, "a score from the sale path is never replaced");
      const [{ unflagged }] = await sql<[{ unflagged: number }]>`
        select count(*)::int as unflagged from transactions
        where fraud_prior_score is not null and fraud_link_flags is null`;
      assert.equal(unflagged, 0, "every scored sale has its link flags");
      for (const [ref, score] of first) {
        if (ref === "OLD-1") continue;
        assert.ok(typeof score === "number" && score >= 0 && score <= 100, `${ref}: ${score}`);
      }
      // the prior tells the burst from the shop's ordinary sales
      const burstLowest = Math.min(...burst.map((_, i) => first.get(`IMP-B-${i}`)!));
      const ordinary = [...first].filter(([ref]) => ref.startsWith("IMP-") && !ref.startsWith("IMP-B"))
        .map(([, s]) => s!).sort((a, b) => a - b);
      assert.ok(burstLowest > ordinary[Math.floor(ordinary.length * 0.9)], `burst ${burstLowest}`);
    });

    await t.step("the shop has its operating point at once, from the scored days before today", async () => {
      const point = await operatingPointFor(sql, now);
      assert.ok(point, "a point");
      assert.equal(point.sales, 331);
      assert.equal(point.days, 4);
    });

    await t.step("later sales never change an earlier sale's prior score (no look ahead)", async () => {
      // Later today five more new accounts use the burst's device: a replay that looked ahead would count
      // them among the device's accounts for the burst's own sales.
      const late = await customers(
        sql,
        "LATE",
        Array.from({ length: 5 }, (_, i) => new Date(now.getTime() - 30 * MINUTE + i * MINUTE)),
      );
      await insertSales(
        sql,
        late.map((id, i) => ({
          ref: `LATE-${i}`,
          customerId: id,
          at: new Date(now.getTime() - 20 * MINUTE + i * MINUTE),
          productId: phone,
          priceCents: 89_900,
          quantity: 3,
          device: "dev-burst",
          ip: "203.0.113.7",
        })),
      );
      await sql`update transactions set fraud_prior_score = null where order_ref like 'IMP-%'`;
      const again = await scoreHistoryWithPrior(sql, DEFAULT_FRAUD_RULES, { now });
      assert.equal(again.scored, 335);
      const second = await priorScores(sql);
      for (const [ref, score] of first) assert.equal(second.get(ref), score, ref);
      // and the later ones see the burst before them: more accounts on the device than any burst sale saw
      for (let i = 0; i < 5; i++) {
        assert.ok(second.get(`LATE-${i}`)! >= 50, `LATE-${i}: ${second.get(`LATE-${i}`)}`);
      }
      // today's stored point was dropped and is computed again (today's sales do not count in it)
      const point = await operatingPointFor(sql, now);
      assert.equal(point?.sales, 331);
    });

    await t.step("with the shop's own model in force nothing is written", async () => {
      const saved = await saveCandidateModel(sql, await loadPriorModel(), "test");
      await activateModelVersion(sql, saved.version);
      await sql`update transactions set fraud_prior_score = null where order_ref like 'LATE-%'`;
      const result = await scoreHistoryWithPrior(sql, DEFAULT_FRAUD_RULES, { now });
      assert.deepEqual(result, { missing: 0, scored: 0, atColdStart: false });
      const [{ n }] = await sql<[{ n: number }]>`
        select count(*)::int as n from transactions where order_ref like 'LATE-%' and fraud_prior_score is null`;
      assert.equal(n, 5);
    });
  } finally {
    await app.stop();
  }
});
