import assert from "node:assert/strict";
import type { Sql } from "../db/mod.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { refreshMaterializedViews } from "../views/refresh.ts";
import { planLayeredRead } from "../views/view_reads.ts";
import { insertHistoricalSale, insertProduct, refundSale } from "./analytics_fixtures.ts";
import { listCategoryPerformance, listTopProducts } from "./breakdown_queries.ts";

const hour = 3_600_000;

async function baseByProduct(sql: Sql, from: Date, to: Date) {
  return await sql<{ productId: number; units: number; revenueCents: number; orders: number }[]>`
    select i.product_id as "productId", sum(i.quantity)::bigint as units,
           sum(i.line_total_cents)::bigint as "revenueCents", count(distinct t.id)::bigint as orders
    from transactions t join transaction_items i on i.transaction_id = t.id
    where t.status = 'completed' and t.created_at >= ${from} and t.created_at < ${to}
    group by 1 order by 3 desc, 2 desc, 1`;
}

async function baseByCategory(sql: Sql, from: Date, to: Date) {
  return await sql<
    { category: string; revenueCents: number; units: number; costCents: number; orders: number }[]
  >`
    select p.category, sum(i.line_total_cents)::bigint as "revenueCents", sum(i.quantity)::bigint as units,
           sum(i.quantity * coalesce(p.cost_cents, 0))::bigint as "costCents", count(distinct t.id)::bigint as orders
    from transactions t join transaction_items i on i.transaction_id = t.id join products p on p.id = i.product_id
    where t.status = 'completed' and t.created_at >= ${from} and t.created_at < ${to}
    group by 1 order by 2 desc, 1`;
}

Deno.test("top products and categories equal a direct base-table computation across days, hours and changes", async () => {
  const db = await openTestDatabase();
  const { sql } = db;
  try {
    const products = [
      await insertProduct(sql, { priceCents: 50_000, category: "Phones" }),
      await insertProduct(sql, { priceCents: 45_000, category: "Phones" }),
      await insertProduct(sql, { priceCents: 3_000, category: "Cables" }),
      await insertProduct(sql, { priceCents: 12_000, category: "Audio" }),
    ];
    const start = Math.floor(Date.now() / hour) * hour - 5 * 24 * hour;
    const ids: number[] = [];
    for (let i = 0; i < 80; i++) {
      const at = new Date(start + i * 89 * 60_000 + (i % 5) * 60_000);
      // several items of one category in one order: category orders must count it once
      const items = [
        { productId: products[i % 4], quantity: 1 + (i % 3) },
        ...(i % 3 === 0 ? [{ productId: products[(i + 1) % 4], quantity: 1 }] : []),
      ];
      ids.push(await insertHistoricalSale(sql, { at, items }));
    }
    await refreshMaterializedViews(sql);
    await refundSale(sql, ids[10]);
    await refundSale(sql, ids[41]);
    await insertHistoricalSale(sql, { at: new Date(), items: [{ productId: products[2], quantity: 7 }] });
    const now = new Date(Date.now() + 1000);
    const ranges: [Date, Date][] = [
      [new Date(start - hour), now],
      [new Date(start + 7 * hour + 17 * 60_000), new Date(start + 77 * hour + 3 * 60_000)],
      [new Date(start + 30 * hour), new Date(start + 31 * hour)],
    ];
    const layers = await planLayeredRead(
      sql,
      { day: "top_products_mv", hour: "product_hourly_sales" },
      ranges[1],
    );
    assert.ok(layers.day.viewTo > layers.day.viewFrom, "whole days come from the daily view");
    assert.ok(layers.hourRanges.length > 0, "edge hours come from the hourly view");
    for (const [from, to] of ranges) {
      const top = await listTopProducts(sql, [from, to], { by: "revenue", limit: 100 });
      assert.deepEqual(
        top.map(({ productId, units, revenueCents, orders }) => ({ productId, units, revenueCents, orders })),
        [...await baseByProduct(sql, from, to)],
      );
      const categories = await listCategoryPerformance(sql, [from, to]);
      assert.deepEqual(
        categories.map(({ category, revenueCents, units, costCents, orders }) => ({
          category,
          revenueCents,
          units,
          costCents,
          orders,
        })),
        [...await baseByCategory(sql, from, to)],
      );
    }
  } finally {
    await db.close();
  }
});
