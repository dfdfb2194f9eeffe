import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES } from "../fraud/mod.ts";
import { connect } from "../db/sql.ts";
import { openTestServices } from "../testing/test_services.ts";
import { loadFraudContext } from "./fraud_history_queries.ts";
import { readOneLineSaleContexts } from "./sale_context_queries.ts";
import { insertCustomers, insertProduct } from "./transactions_fixtures.ts";

Deno.test("a batch of one-line sales reads each product's usual quantity once, and gives it to every sale that asked", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const [alice, bob] = await insertCustomers(sql, 2);
    const phone = await insertProduct(sql, { name: "Phone", stock: 1_000 });
    const cable = await insertProduct(sql, { name: "Cable", stock: 1_000 });
    const manager = t.api("manager");
    // completed lines of 1, 1, 2 phones and 3 cables: the histograms to read
    for (const [productId, quantity] of [[phone, 1], [phone, 1], [phone, 2], [cable, 3]]) {
      await manager.transactions.create({
        customerId: alice,
        items: [{ productId, quantity }],
        paymentMethod: "card",
      });
    }
    const now = new Date();
    // the index a product's lines are read by, scanned once per product read: counted on one connection
    // (a backend's counts reach the statistics when it flushes them; here on demand)
    const one = t.services.db.kind === "postgres" ? connect(t.services.db.url, { max: 1 }) : sql;
    const productScans = async () => {
      await one`select pg_stat_force_next_flush()`;
      await one`select 1`;
      const [row] = await one`
        select idx_scan::int as scans from pg_stat_user_indexes where indexrelname = 'transaction_items_product_idx'`;
      return row.scans as number;
    };
    const before = await productScans();
    const rows = await readOneLineSaleContexts(one, [
      // the first to ask has no customer (no fraud context): the others still get the phone's lines
      { customerId: 987_654, productId: phone, now, readQuantities: true },
      { customerId: bob, productId: phone, now, readQuantities: true },
      { customerId: alice, productId: phone, now, readQuantities: false },
      { customerId: alice, productId: cable, now, readQuantities: true },
      { customerId: bob, productId: phone, now, readQuantities: true },
    ], DEFAULT_FRAUD_RULES);
    assert.equal(await productScans() - before, 2, "the phone's and the cable's lines, each read once");
    assert.equal(rows.length, 5);
    assert.equal(rows[0].fraud, null);
    const sorted = (lines: { product_id: number; quantity: number; lines: number }[]) =>
      lines.map((line) => `${line.product_id}:${line.quantity}x${line.lines}`).sort();
    // what one sale's own context reads (`loadFraudContext`), for comparison
    const alone = async (customerId: number, productId: number) => {
      const [row] = await sql`
        select coalesce(json_agg(q), '[]') as q from (
          select i.product_id, i.quantity, count(*)::int as lines from transaction_items i
          where i.product_id = ${productId} group by 1, 2) q`;
      const context = await loadFraudContext(sql, {
        customerId,
        productIds: [productId],
        now,
        rules: DEFAULT_FRAUD_RULES,
      });
      assert.ok(
        context?.history.productQuantityStats[String(productId)],
        "the single read finds the product's stats",
      );
      return sorted(row.q);
    };
    assert.deepEqual(sorted(rows[1].fraud!.quantities), await alone(bob, phone));
    assert.deepEqual(sorted(rows[1].fraud!.quantities), [`${phone}:1x2`, `${phone}:2x1`]);
    assert.deepEqual(rows[2].fraud!.quantities, [], "a sale that did not ask reads none");
    assert.deepEqual(sorted(rows[3].fraud!.quantities), await alone(alice, cable));
    assert.deepEqual(sorted(rows[4].fraud!.quantities), sorted(rows[1].fraud!.quantities));
    // the other parts of each context are each sale's own
    assert.equal(rows[1].fraud!.customer_name, rows[4].fraud!.customer_name);
    assert.notEqual(rows[1].fraud!.customer_name, rows[3].fraud!.customer_name);
    assert.ok(rows[3].fraud!.history.length >= 4, "alice's history");
    assert.equal(rows[1].fraud!.history.length, 0, "bob has none");
    // an order reference is drawn only for a sale that can be made: a known customer and a product on sale
    assert.deepEqual(rows.map((row) => row.order_ref !== null), [false, true, true, true, true]);
    await sql`update products set is_active = false where id = ${cable}`;
    const [retired] = await readOneLineSaleContexts(one, [
      { customerId: alice, productId: cable, now, readQuantities: false },
    ], DEFAULT_FRAUD_RULES);
    assert.equal(retired.order_ref, null);
    assert.equal(retired.catalog[0].is_active, false);
    assert.equal(retired.customer?.name, rows[3].customer?.name);
    if (one !== sql) await one.end();
  } finally {
    await t.close();
  }
});
