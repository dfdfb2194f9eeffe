import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { refreshedViews, refreshMaterializedViews } from "../views/refresh.ts";
import { planViewRead } from "../views/view_reads.ts";
import {
  baseSalesTotals,
  insertCustomer,
  insertHistoricalSale,
  insertProduct,
  refundSale,
} from "./analytics_fixtures.ts";
import { salesSeries, salesTotals, uniqueCustomers } from "./sales_queries.ts";
import type { Sql } from "../db/mod.ts";

const hour = 3_600_000;

async function baseSeries(sql: Sql, from: Date, to: Date, timeZone: string, granularity: "hour" | "day") {
  const rows = await sql<{ start: Date; orders: number; revenueCents: number }[]>`
    select date_trunc(${granularity}, created_at, ${timeZone}) as start, count(*)::bigint as orders,
           sum(total_cents)::bigint as "revenueCents"
    from transactions where status = 'completed' and created_at >= ${from} and created_at < ${to}
    group by 1 order by 1`;
  return new Map(rows.map((row) => [row.start.toISOString(), [row.orders, row.revenueCents]]));
}

async function assertSeriesExact(
  sql: Sql,
  from: Date,
  to: Date,
  timeZone: string,
  granularity: "hour" | "day",
) {
  const series = await salesSeries(sql, [from, to], { timeZone, granularity });
  const expected = await baseSeries(sql, from, to, timeZone, granularity);
  for (const bucket of series) {
    const [orders, revenue] = expected.get(bucket.start.toISOString()) ?? [0, 0];
    assert.deepEqual(
      [bucket.orders, bucket.revenueCents],
      [orders, revenue],
      `${timeZone} ${granularity} ${bucket.start.toISOString()}`,
    );
    expected.delete(bucket.start.toISOString());
  }
  assert.equal(expected.size, 0, `buckets missing from the series: ${[...expected.keys()]}`);
}

Deno.test("sales reads equal a direct base-table computation before and after changes since the refresh", async (t) => {
  const db = await openTestDatabase();
  const { sql } = db;
  try {
    const laptop = await insertProduct(sql, { priceCents: 99_900, category: "Laptops" });
    const cable = await insertProduct(sql, { priceCents: 1_250, category: "Accessories" });
    const customers = [await insertCustomer(sql), await insertCustomer(sql), await insertCustomer(sql)];
    // Four days of history at uneven minutes, so local and UTC buckets and partial hours all matter
    const start = Math.floor(Date.now() / hour) * hour - 96 * hour;
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) {
      const at = new Date(start + i * 97 * 60_000 + (i % 7) * 60_000);
      ids.push(
        await insertHistoricalSale(sql, {
          at,
          items: [{ productId: i % 3 === 0 ? laptop : cable, quantity: 1 + (i % 4) }],
          customerId: customers[i % 3],
          status: i % 11 === 5 ? "pending" : "completed",
        }),
      );
    }
    const refreshes = await refreshMaterializedViews(sql);
    assert.equal(refreshes.length, refreshedViews.length);
    const [recorded] = await sql<
      [{ views: number }]
    >`select count(*)::int as views from materialized_view_refreshes`;
    assert.equal(recorded.views, refreshedViews.length);

    const from = new Date(start - 30 * 60_000);
    const to = new Date(Date.now() + hour);

    await t.step("after a refresh the view answers the whole hours of history", async () => {
      const plan = await planViewRead(sql, "hourly_sales_mv", [from, to], "hour");
      assert.ok(plan.viewTo.getTime() - plan.viewFrom.getTime() >= 90 * hour);
      assert.deepEqual(plan.skipBuckets, []);
      assert.deepEqual(await salesTotals(sql, [from, to]), await baseSalesTotals(sql, from, to));
    });

    await t.step(
      "new sales, a refund, a late completion and a back-dated import are all counted",
      async () => {
        await insertHistoricalSale(sql, { at: new Date(), items: [{ productId: laptop, quantity: 2 }] });
        await refundSale(sql, ids[3]);
        // A pending sale completed later: only the status-change record says so, not updated_at
        await sql`update transactions set status = 'completed' where id = ${ids[5]}`;
        await sql`
        insert into transaction_status_changes (transaction_id, from_status, to_status, actor_username)
        values (${ids[5]}, 'pending', 'completed', 'test')`;
        const late = await insertHistoricalSale(sql, {
          at: new Date(start + 10 * hour + 5 * 60_000),
          items: [{ productId: cable, quantity: 9 }],
        });
        await sql`update transactions set updated_at = now() where id = ${late}`;
        const plan = await planViewRead(sql, "hourly_sales_mv", [from, to], "hour");
        assert.equal(plan.skipBuckets.length, 3);
        const expected = await baseSalesTotals(sql, from, to);
        assert.deepEqual(await salesTotals(sql, [from, to]), expected);
        // unaligned sub-ranges too
        for (
          const [a, b] of [[start + 7 * 60_000, start + 50 * hour + 13 * 60_000], [
            start + 9 * hour,
            start + 11 * hour,
          ]]
        ) {
          assert.deepEqual(
            await salesTotals(sql, [new Date(a), new Date(b)]),
            await baseSalesTotals(sql, new Date(a), new Date(b)),
          );
        }
      },
    );

    for (const timeZone of ["UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin"]) {
      await t.step(`hourly and daily series are exact in ${timeZone}`, async () => {
        await assertSeriesExact(sql, from, to, timeZone, "hour");
        await assertSeriesExact(sql, from, to, timeZone, "day");
      });
    }

    await t.step("the series is zero-filled, one bucket per local hour", async () => {
      const a = new Date(start - 5 * hour);
      const b = new Date(start - 2 * hour);
      const series = await salesSeries(sql, [a, b], { timeZone: "America/New_York", granularity: "hour" });
      assert.equal(series.length, 3);
      assert.ok(series.every((bucket) => bucket.orders === 0 && bucket.revenueCents === 0));
    });

    await t.step("unique customers count each buyer once", async () => {
      assert.equal(await uniqueCustomers(sql, [from, to]), 3);
      assert.equal(await uniqueCustomers(sql, [new Date(start - 10 * hour), new Date(start - hour)]), 0);
    });
  } finally {
    await db.close();
  }
});
