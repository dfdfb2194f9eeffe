import assert from "node:assert/strict";
import { findMapping } from "./mapping_registry.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { importFile } from "./importer.ts";

const onlineRetailMapping = findMapping("online-retail")!;

// The first 2,000 rows of the real UCI file plus nine dirty rows picked from further down
const slice = new URL("../../data/fixtures/online_retail_slice.csv.gz", import.meta.url).pathname;

Deno.test("importFile() with the online-retail mapping", async (t) => {
  const db = await openTestDatabase();
  const sql = db.sql;
  try {
    await t.step(
      "loads the real slice, rejecting fees, duplicates, rows without description and bad debt",
      async () => {
        const summary = await importFile(sql, slice, { mapping: onlineRetailMapping, rejectsDir: false });
        // Expected figures come from an independent count of the slice (Python csv), not from this importer
        assert.deepEqual(
          [summary.read, summary.inserted, summary.skipped, summary.rejected],
          [2009, 1953, 0, 56],
        );
        assert.deepEqual(summary.created, { products: 1040, customers: 71, transactions: 91, items: 1953 });
        const byReason = Object.groupBy(
          summary.rejects,
          (r) => r.reason.replace(/ ".*| of line.*| -?\d.*/, ""),
        );
        assert.deepEqual(
          Object.fromEntries(Object.entries(byReason).map(([reason, rows]) => [reason, rows!.length])),
          {
            "Non-product code": 9,
            "Exact duplicate": 36,
            "Missing description": 8,
            "Bad-debt adjustment invoice": 3,
          },
        );
        assert.deepEqual(summary.rejects.slice(0, 4), [
          { line: 47, reason: 'Non-product code "POST"' },
          { line: 143, reason: 'Non-product code "D"' },
          { line: 388, reason: 'Non-product code "POST"' },
          { line: 519, reason: "Exact duplicate of line 496" },
        ]);
        assert.deepEqual(summary.rejects.at(-1), {
          line: 2010,
          reason: 'Bad-debt adjustment invoice "A563187"',
        });
      },
    );

    await t.step("maps invoices to orders with totals in pence and customers as OR-<id>", async () => {
      const [first] = await sql<
        { code: string; country: string; total_cents: number; item_count: number; lines: number }[]
      >`
        select c.code, c.country, t.total_cents, t.item_count, (select count(*)::int from transaction_items i
          where i.transaction_id = t.id) as lines
        from transactions t join customers c on c.id = t.customer_id where t.order_ref = '536365'`;
      assert.deepEqual({ ...first }, {
        code: "OR-17850",
        country: "United Kingdom",
        total_cents: 13912,
        item_count: 40,
        lines: 7,
      });
      const [all] = await sql<{ total: number }[]>`select sum(total_cents)::int8 as total from transactions`;
      assert.equal(all.total, 3_759_293);
    });

    await t.step("turns C invoices into refunded orders with positive quantities", async () => {
      const refunds = await sql<{ order_ref: string; quantity: number; unit_price_cents: number }[]>`
        select t.order_ref, i.quantity, i.unit_price_cents from transactions t
        join transaction_items i on i.transaction_id = t.id where t.status = 'refunded' order by t.order_ref`;
      assert.equal(new Set(refunds.map((r) => r.order_ref)).size, 5);
      assert.ok(refunds.every((r) => r.quantity > 0));
      assert.deepEqual(
        refunds.filter((r) => r.order_ref === "C536383").map((r) => [r.quantity, r.unit_price_cents]),
        [[1, 465]],
      );
    });

    await t.step("keeps orders without a customer, and upper-cases stock codes", async () => {
      const [anonymous] = await sql<{ n: number }[]>`
        select count(*)::int as n from transactions where customer_id is null`;
      assert.ok(anonymous.n > 0);
      const [parasol] = await sql<{ sku: string; name: string; stock_quantity: number }[]>`
        select sku, name, stock_quantity from products where sku = '15056BL'`;
      assert.deepEqual({ ...parasol }, {
        sku: "15056BL",
        name: "EDWARDIAN PARASOL BLACK",
        stock_quantity: 0,
      });
      const [lower] = await sql<
        { n: number }[]
      >`select count(*)::int as n from products where sku <> upper(sku)`;
      assert.equal(lower.n, 0);
    });

    await t.step("importing the slice again adds nothing", async () => {
      const summary = await importFile(sql, slice, { mapping: onlineRetailMapping, rejectsDir: false });
      assert.deepEqual([summary.inserted, summary.skipped, summary.rejected], [0, 1953, 56]);
      assert.deepEqual(summary.created, { products: 0, customers: 0, transactions: 0, items: 0 });
      const [count] = await sql<{ n: number }[]>`select count(*)::int as n from transaction_items`;
      assert.equal(count.n, 1953);
    });
  } finally {
    await db.close();
  }
});
