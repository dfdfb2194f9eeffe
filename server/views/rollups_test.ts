import assert from "node:assert/strict";
import { insertHistoricalSale, insertProduct, refundSale } from "../analytics/analytics_fixtures.ts";
import type { Sql } from "../db/mod.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { refreshMaterializedViews } from "./refresh.ts";

const hour = 3_600_000;

async function rollupMatchesBase(sql: Sql) {
  const products = await sql`
    select hour, product_id, units, revenue_cents, orders from product_hourly_sales order by 1, 2`;
  const expectedProducts = await sql`
    select date_trunc('hour', t.created_at, 'UTC') as hour, i.product_id, sum(i.quantity)::bigint as units,
           sum(i.line_total_cents)::bigint as revenue_cents, count(distinct t.id)::bigint as orders
    from transactions t join transaction_items i on i.transaction_id = t.id
    where t.status = 'completed' group by 1, 2 order by 1, 2`;
  assert.deepEqual([...products], [...expectedProducts]);
  const categories = await sql`
    select hour, category, units, revenue_cents, cost_cents, orders from category_hourly_sales order by 1, 2`;
  const expectedCategories = await sql`
    select date_trunc('hour', t.created_at, 'UTC') as hour, p.category, sum(i.quantity)::bigint as units,
           sum(i.line_total_cents)::bigint as revenue_cents,
           sum(i.quantity * coalesce(p.cost_cents, 0))::bigint as cost_cents, count(distinct t.id)::bigint as orders
    from transactions t join transaction_items i on i.transaction_id = t.id join products p on p.id = i.product_id
    where t.status = 'completed' group by 1, 2 order by 1, 2`;
  assert.deepEqual([...categories], [...expectedCategories]);
  return products.length;
}

Deno.test("hourly rollups build in full, then catch up incrementally with new, refunded and back-dated sales", async () => {
  const db = await openTestDatabase();
  const { sql } = db;
  try {
    const phone = await insertProduct(sql, { priceCents: 40_000, category: "Phones" });
    const case_ = await insertProduct(sql, { priceCents: 2_000, category: "Accessories" });
    const start = Math.floor(Date.now() / hour) * hour - 48 * hour;
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push(
        await insertHistoricalSale(sql, {
          at: new Date(start + i * 71 * 60_000),
          items: [{ productId: i % 2 ? phone : case_, quantity: 1 + (i % 3) }, {
            productId: case_,
            quantity: 1,
          }],
        }),
      );
    }
    await refreshMaterializedViews(sql, { views: ["product_hourly_sales", "category_hourly_sales"] });
    assert.ok(await rollupMatchesBase(sql) > 0);

    await refundSale(sql, ids[3]);
    await insertHistoricalSale(sql, { at: new Date(), items: [{ productId: phone, quantity: 1 }] });
    const late = await insertHistoricalSale(sql, {
      at: new Date(start + 20 * hour + 5 * 60_000),
      items: [{ productId: phone, quantity: 4 }],
    });
    await sql`update transactions set updated_at = now() where id = ${late}`;
    const [refreshed] = await refreshMaterializedViews(sql, { views: ["product_hourly_sales"] });
    assert.equal(refreshed.view, "product_hourly_sales");
    await refreshMaterializedViews(sql, { views: ["category_hourly_sales"] });
    await rollupMatchesBase(sql);
  } finally {
    await db.close();
  }
});
