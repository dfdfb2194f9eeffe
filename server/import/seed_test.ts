import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { seedSampleData } from "./seed.ts";
import { assertLineSummariesMatchLines } from "../transactions/transactions_fixtures.ts";

async function csvRows(name: string): Promise<string[][]> {
  const text = await Deno.readTextFile(new URL(`../../data/sample/${name}`, import.meta.url));
  // The sample has no quoted commas in the columns read here (codes, refs, times)
  return text.trimEnd().split("\n").slice(1).map((line) => line.split(","));
}

Deno.test("seedSampleData()", async (t) => {
  const db = await openTestDatabase();
  const sql = db.sql;
  try {
    const now = new Date("2026-02-14T09:30:00Z");

    await t.step("imports the whole committed sample into an empty database without rejects", async () => {
      const transactionLines = await csvRows("transactions.csv");
      const expectedOrders = new Set(transactionLines.map((row) => row[0])).size;
      const result = await seedSampleData(sql, { now });
      assert.deepEqual(result, {
        alreadyPresent: false,
        suppliers: (await csvRows("suppliers.csv")).length,
        products: (await csvRows("products.csv")).length,
        productSuppliers: (await csvRows("product_suppliers.csv")).length,
        customers: (await csvRows("customers.csv")).length,
        transactions: expectedOrders,
        items: transactionLines.length,
        rejected: 0,
      });
    });

    await t.step(
      "sales carry the sample's identity fields: online ones a device, card ones a card",
      async () => {
        const [row] = await sql<
          [{ online: number; devices: number; card: number; bins: number; emails: number }]
        >`
        select count(*) filter (where channel <> 'store')::int as online,
               count(device_id) filter (where channel <> 'store')::int as devices,
               count(*) filter (where payment_method = 'card')::int as card,
               count(card_bin) filter (where payment_method = 'card')::int as bins,
               count(email)::int as emails
        from transactions`;
        assert.ok(row.online > 0 && row.devices === row.online, JSON.stringify(row));
        assert.ok(row.card > 0 && row.bins === row.card, JSON.stringify(row));
        assert.ok(row.emails > 0);
      },
    );

    await t.step("every order carries the summary of its lines that fraud scoring reads", async () => {
      assert.ok(await assertLineSummariesMatchLines(sql) > 0);
    });

    await t.step("shifts the sample so its newest order happened at `now`", async () => {
      const [{ newest, customers_after }] = await sql<{ newest: Date; customers_after: number }[]>`
        select max(created_at) as newest,
          (select count(*)::int from customers where created_at > ${now}) as customers_after
        from transactions`;
      assert.equal(newest.toISOString(), now.toISOString());
      assert.equal(customers_after, 0);
    });

    await t.step("seeding again finds the data and imports nothing", async () => {
      const [before] = await sql<{ n: number }[]>`select count(*)::int as n from transaction_items`;
      assert.deepEqual(await seedSampleData(sql, { now: new Date() }), { alreadyPresent: true });
      const [after] = await sql<{ n: number }[]>`select count(*)::int as n from transaction_items`;
      assert.equal(after.n, before.n);
    });
  } finally {
    await db.close();
  }
});
