import assert from "node:assert/strict";
import { insertCustomer, insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { addStoreDays, startOfStoreDay } from "../shared/store_time.ts";
import { invalidate, invalidateOnEvents } from "../cache.ts";
import { saleEventData } from "../events/events_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";
import { refreshMaterializedViews } from "../views/refresh.ts";

const minute = 60_000;
const hour = 60 * minute;

Deno.test("dashboard procedures", async (t) => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  const timeZone = "America/New_York";
  services.config = { ...services.config, STORE_TZ: timeZone };
  // as start.ts does: events retire cached reads
  const stopInvalidation = invalidateOnEvents(services);
  try {
    const now = new Date();
    const todayStart = startOfStoreDay(now, timeZone);
    const elapsed = now.getTime() - todayStart.getTime();
    const product = await insertProduct(sql, { priceCents: 1_000, stock: 2, reorderPoint: 10 });
    await insertProduct(sql, { priceCents: 1_000, stock: 100 });
    const [alice, bob] = [await insertCustomer(sql), await insertCustomer(sql)];
    // today: 3 sales by 2 customers, one of them suspicious; one refunded sale that must not count
    const todayAt = (fraction: number) => new Date(todayStart.getTime() + elapsed * fraction);
    await insertHistoricalSale(sql, {
      at: todayAt(0.1),
      customerId: alice,
      items: [{ productId: product, quantity: 1 }],
    });
    await insertHistoricalSale(sql, {
      at: todayAt(0.5),
      customerId: alice,
      items: [{ productId: product, quantity: 2 }],
      fraudDecision: "review",
    });
    await insertHistoricalSale(sql, {
      at: todayAt(0.9),
      customerId: bob,
      items: [{ productId: product, quantity: 3 }],
    });
    await insertHistoricalSale(sql, {
      at: todayAt(0.2),
      customerId: bob,
      items: [{ productId: product, quantity: 5 }],
      status: "refunded",
    });
    // yesterday before the same time of day: 1 sale; after it: 1 sale that the comparison leaves out
    const yesterdayStart = new Date(todayStart.getTime() - 24 * hour);
    await insertHistoricalSale(sql, {
      at: new Date(yesterdayStart.getTime() + elapsed * 0.5),
      customerId: bob,
      items: [{ productId: product, quantity: 4 }],
    });
    if (elapsed < 23 * hour) {
      await insertHistoricalSale(sql, {
        at: new Date(yesterdayStart.getTime() + elapsed + 30 * minute),
        customerId: bob,
        items: [{ productId: product, quantity: 7 }],
      });
    }
    await sql`insert into alerts (type, severity, title) values ('low_stock', 'high', 'A'), ('fraud', 'critical', 'B')`;
    await sql`
      insert into alerts (type, severity, title, status, resolved_at, created_at)
      values ('fraud', 'low', 'C', 'resolved', now() - interval '1 hour', now() - interval '2 days')`;
    await refreshMaterializedViews(sql);
    // a shared Redis may hold figures cached by another test database
    await invalidate(services.kv, ["dashboard"]);
    const viewer = api("viewer");

    await t.step("overview counts today in the store's time zone against yesterday so far", async () => {
      const overview = await viewer.dashboard.overview();
      assert.equal(overview.timeZone, timeZone);
      assert.deepEqual(overview.today, {
        revenueCents: 6_000,
        orders: 3,
        units: 6,
        customers: 2,
        averageOrderCents: 2_000,
      });
      assert.deepEqual(overview.previous, {
        revenueCents: 4_000,
        orders: 1,
        units: 4,
        customers: 1,
        averageOrderCents: 4_000,
      });
      assert.equal(overview.todayChange.revenueCents, 0.5);
      assert.equal(overview.todayChange.orders, 2);
      assert.equal(overview.suspicious.today, 1);
      assert.equal(overview.suspicious.previous, 0);
      assert.equal(overview.openAlerts.total, 2);
      assert.deepEqual(overview.openAlerts.bySeverity, { critical: 1, high: 1, medium: 0, low: 0, info: 0 });
      // 24 hours ago only the alert resolved an hour ago was open
      assert.equal(overview.openAlerts.previousTotal, 1);
      // the same rule as the Inventory page: 2 left against a reorder point of 10 runs short
      const shortList = await viewer.inventory.lowStock({});
      assert.deepEqual(shortList.items.map((item) => item.productId), [product]);
      assert.equal(overview.lowStock.count, 1);
      assert.equal(overview.period.orders, elapsed < 23 * hour ? 5 : 4);
    });

    await t.step(
      "overview is cached, and a new transaction shows as soon as its event is published",
      async () => {
        const ctxApi = api("viewer");
        const first = await ctxApi.dashboard.overview();
        const again = await ctxApi.dashboard.overview();
        assert.deepEqual(again.asOf, first.asOf);
        await insertHistoricalSale(sql, {
          at: new Date(),
          customerId: alice,
          items: [{ productId: product, quantity: 1 }],
        });
        await services.bus.publish("transaction.created", saleEventData());
        await new Promise((resolve) => setTimeout(resolve, 50));
        const fresh = await ctxApi.dashboard.overview();
        assert.equal(fresh.today.orders, 4);
      },
    );

    await t.step("realtimeMetrics has 60 zero-filled minutes with the last hour's sales", async () => {
      await insertHistoricalSale(sql, {
        at: new Date(Date.now() - 5 * minute),
        items: [{ productId: product, quantity: 2 }],
      });
      await insertHistoricalSale(sql, {
        at: new Date(Date.now() - 90 * minute),
        items: [{ productId: product, quantity: 9 }],
      });
      const metrics = await viewer.dashboard.realtimeMetrics();
      assert.equal(metrics.minutes.length, 60);
      const recent = await sql<[{ orders: number; revenue: number }]>`
        select count(*)::int as orders, sum(total_cents)::int as revenue from transactions
        where status = 'completed' and created_at >= ${
        metrics.minutes[0].minute
      } and created_at < ${metrics.asOf}`;
      assert.equal(metrics.totals.orders, recent[0].orders);
      assert.equal(metrics.totals.revenueCents, recent[0].revenue);
      for (let i = 1; i < 60; i++) {
        assert.equal(metrics.minutes[i].minute.getTime() - metrics.minutes[i - 1].minute.getTime(), minute);
      }
    });
  } finally {
    stopInvalidation();
    await close();
  }
});

Deno.test("overview figures of all four windows equal a direct base-table count, before and after changes since the refresh", async () => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  const timeZone = "America/New_York";
  services.config = { ...services.config, STORE_TZ: timeZone };
  try {
    const product = await insertProduct(sql, { priceCents: 1_500, stock: 1_000 });
    const customers: number[] = [];
    for (let i = 0; i < 12; i++) customers.push(await insertCustomer(sql));
    // Fifteen days of history, a sale every ~3.3 hours by a rotating customer: whole UTC days for
    // the customer sets, partial store days at both ends of every window
    const now = Date.now();
    const ids: number[] = [];
    for (let at = now - 15 * 24 * hour; at < now - minute; at += 199 * minute) {
      ids.push(
        await insertHistoricalSale(sql, {
          at: new Date(at),
          customerId: customers[ids.length % 7 === 3 ? 0 : (ids.length * 5) % customers.length],
          items: [{ productId: product, quantity: 1 + (ids.length % 3) }],
        }),
      );
    }
    await refreshMaterializedViews(sql);

    const assertExact = async (label: string) => {
      await invalidate(services.kv, ["dashboard"]);
      const overview = await api("viewer").dashboard.overview();
      const asOf = overview.asOf;
      const todayStart = startOfStoreDay(asOf, timeZone);
      const yesterdayStart = addStoreDays(asOf, -1, timeZone);
      const yesterdayEnd = new Date(
        Math.min(yesterdayStart.getTime() + asOf.getTime() - todayStart.getTime(), todayStart.getTime()),
      );
      const periodStart = addStoreDays(asOf, -6, timeZone);
      const previousStart = addStoreDays(asOf, -13, timeZone);
      const previousEnd = new Date(
        Math.min(previousStart.getTime() + asOf.getTime() - periodStart.getTime(), periodStart.getTime()),
      );
      const windows = {
        today: [todayStart, asOf],
        previous: [yesterdayStart, yesterdayEnd],
        period: [periodStart, asOf],
        previousPeriod: [previousStart, previousEnd],
      } as const;
      for (const [name, [from, to]] of Object.entries(windows)) {
        const [expected] = await sql<
          [{ revenueCents: number; orders: number; units: number; customers: number }]
        >`
          select coalesce(sum(total_cents), 0)::bigint as "revenueCents", count(*)::bigint as orders,
                 coalesce(sum(item_count), 0)::bigint as units, count(distinct customer_id)::bigint as customers
          from transactions where status = 'completed' and created_at >= ${from} and created_at < ${to}`;
        const figures = overview[name as keyof typeof windows];
        assert.deepEqual(
          [figures.revenueCents, figures.orders, figures.units, figures.customers],
          [expected.revenueCents, expected.orders, expected.units, expected.customers],
          `${label}: ${name}`,
        );
      }
      assert.ok(overview.period.customers > 0 && overview.previousPeriod.customers > 0);
    };

    await assertExact("just refreshed");
    // changes the sets have not seen yet: refunds in both periods, a back-dated sale by a new customer
    await sql`
      update transactions set status = 'refunded', refunded_at = now(), updated_at = now()
      where id = any(${[ids[5], ids[40], ids[70], ids[ids.length - 2]]}::bigint[])`;
    const newcomer = await insertCustomer(sql);
    const late = await insertHistoricalSale(sql, {
      at: new Date(now - 9 * 24 * hour),
      customerId: newcomer,
      items: [{ productId: product, quantity: 1 }],
    });
    await sql`update transactions set updated_at = now() where id = ${late}`;
    await assertExact("changed since the refresh");
    await refreshMaterializedViews(sql);
    await assertExact("refreshed again");
  } finally {
    await close();
  }
});
