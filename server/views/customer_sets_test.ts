import assert from "node:assert/strict";
import { insertHistoricalSale, insertProduct, refundSale } from "../analytics/analytics_fixtures.ts";
import type { Sql } from "../db/mod.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { countDistinctCustomers, readCustomerSetsState } from "./customer_sets.ts";
import { refreshMaterializedViews } from "./refresh.ts";

const hour = 3_600_000;
const day = 24 * hour;

/** Customers with ids on both sides of the 8192-wide chunk boundaries, so several chunks are used. */
async function insertCustomersWithIds(sql: Sql, ids: number[]) {
  for (const id of ids) {
    await sql`
      insert into customers (id, code, name) overriding system value
      values (${id}, ${`CUS-SET-${id}`}, 'Customer')`;
  }
}

async function setsMatchBase(sql: Sql) {
  const sets = await sql<{ day: Date; customers: number[] }[]>`
    select day, array_agg(chunk * 8192 + n order by chunk * 8192 + n)::bigint[] as customers
    from customer_daily_sets, generate_series(0, 8191) n
    where get_bit(members, n) = 1
    group by day order by day`;
  const expected = await sql<{ day: Date; customers: number[] }[]>`
    select date_trunc('day', created_at, 'UTC') as day,
           array_agg(distinct customer_id order by customer_id)::bigint[] as customers
    from transactions where status = 'completed' and customer_id is not null
    group by 1 order by 1`;
  assert.deepEqual([...sets], [...expected]);
}

async function baseDistinct(sql: Sql, from: Date, to: Date): Promise<number> {
  const [row] = await sql<[{ customers: number }]>`
    select count(distinct customer_id)::bigint as customers from transactions
    where status = 'completed' and created_at >= ${from} and created_at < ${to}`;
  return row.customers;
}

Deno.test("customer day sets build in full, catch up incrementally, and count distinct customers exactly", async (t) => {
  const db = await openTestDatabase();
  const { sql } = db;
  try {
    const product = await insertProduct(sql, { priceCents: 1_000 });
    const customers = [1, 2, 8191, 8192, 8193, 20_000, 40_000];
    await insertCustomersWithIds(sql, customers);
    // Six days of history at uneven times: each customer buys on some days, some twice a day
    const start = Math.floor(Date.now() / day) * day - 5 * day;
    const ids: number[] = [];
    for (let i = 0; i < 70; i++) {
      const at = new Date(start + i * 113 * 60_000 + (i % 5) * 60_000);
      if (at.getTime() > Date.now()) break;
      ids.push(
        await insertHistoricalSale(sql, {
          at,
          customerId: i % 9 === 8 ? null : customers[(i * 3) % customers.length],
          items: [{ productId: product, quantity: 1 }],
          status: i % 13 === 4 ? "pending" : "completed",
        }),
      );
    }
    const windows = (): [Date, Date][] => {
      const now = Date.now();
      return [
        [new Date(start - day), new Date(now + hour)],
        [new Date(start + 7 * 60_000), new Date(start + 3 * day + 5 * hour)],
        [new Date(start + day), new Date(start + 2 * day)],
        [new Date(start + day + 90 * 60_000), new Date(start + day + 100 * 60_000)],
        [new Date(start - 3 * day), new Date(start - day)],
      ];
    };
    const assertCountsExact = async (label: string) => {
      for (const [from, to] of windows()) {
        assert.equal(
          await countDistinctCustomers(sql, [from, to]),
          await baseDistinct(sql, from, to),
          `${label}: ${from.toISOString()} .. ${to.toISOString()}`,
        );
      }
    };

    await t.step("before the first refresh every count reads the base table", async () => {
      const state = await readCustomerSetsState(sql, [new Date(start), new Date()]);
      assert.equal(state.cut, null);
      await assertCountsExact("never refreshed");
    });

    await t.step("the first refresh builds one set per UTC day, spread over several chunks", async () => {
      const [refreshed] = await refreshMaterializedViews(sql, { views: ["customer_daily_sets"] });
      assert.equal(refreshed.view, "customer_daily_sets");
      await setsMatchBase(sql);
      const [chunks] = await sql<[{ chunks: number }]>`
        select count(distinct chunk)::int as chunks from customer_daily_sets`;
      assert.equal(chunks.chunks, 4);
      await assertCountsExact("refreshed");
    });

    await t.step(
      "refunds, completions and back-dated sales count before and after the next refresh",
      async () => {
        await refundSale(sql, ids[3]);
        await refundSale(sql, ids[10]);
        await sql`update transactions set status = 'completed' where id = ${ids[4]}`;
        await sql`
        insert into transaction_status_changes (transaction_id, from_status, to_status, actor_username)
        values (${ids[4]}, 'pending', 'completed', 'test')`;
        const late = await insertHistoricalSale(sql, {
          at: new Date(start + day + 95 * 60_000),
          customerId: 40_000,
          items: [{ productId: product, quantity: 1 }],
        });
        await sql`update transactions set updated_at = now() where id = ${late}`;
        await insertHistoricalSale(sql, {
          at: new Date(),
          customerId: 8192,
          items: [{ productId: product, quantity: 1 }],
        });
        const state = await readCustomerSetsState(sql, [new Date(start - day), new Date()]);
        assert.ok(state.dirtyBuckets.length >= 2);
        await assertCountsExact("changed since the refresh");
        await refreshMaterializedViews(sql, { views: ["customer_daily_sets"] });
        await setsMatchBase(sql);
        await assertCountsExact("refreshed again");
      },
    );
  } finally {
    await db.close();
  }
});
