import assert from "node:assert/strict";
import { insertCustomer, insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { refreshedViews, refreshMaterializedViews } from "./refresh.ts";

Deno.test("refreshMaterializedViews() leaves every view and rollup with planner statistics", async () => {
  const db = await openTestDatabase();
  const { sql } = db;
  try {
    const product = await insertProduct(sql, { priceCents: 2_500 });
    const customer = await insertCustomer(sql);
    for (let i = 0; i < 5; i++) {
      await insertHistoricalSale(sql, {
        at: new Date(Date.now() - (i + 1) * 5 * 3_600_000),
        customerId: customer,
        items: [{ productId: product, quantity: 1 }],
      });
    }
    const unanalyzed = () =>
      sql<{ name: string }[]>`
        select relname as name from pg_class
        where relname = any(${[...refreshedViews]}::text[]) and reltuples < 0 order by 1`;
    // a new database has never analyzed them: the planner would take each for empty
    assert.ok((await unanalyzed()).length > 0);
    await refreshMaterializedViews(sql);
    assert.deepEqual([...await unanalyzed()], []);
    const [{ rows }] = await sql<[{ rows: number }]>`
      select reltuples::int as rows from pg_class where relname = 'hourly_sales_mv'`;
    assert.equal(rows, 5);
  } finally {
    await db.close();
  }
});
