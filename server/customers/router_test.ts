import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { insertCatalogFixtures } from "../products/catalog_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";

Deno.test("the customers router", async (t) => {
  const test = await openTestServices();
  try {
    const { sql } = test.services.db;
    const fixtures = await insertCatalogFixtures(sql);
    const [ada] = fixtures.customerIds;
    const orders = [
      { ref: "T-1", status: "completed", total: 10_000, at: "2025-03-01T10:00:00Z" },
      { ref: "T-2", status: "completed", total: 30_000, at: "2025-03-05T10:00:00Z" },
      { ref: "T-3", status: "refunded", total: 50_000, at: "2025-03-07T10:00:00Z" },
    ];
    for (const order of orders) {
      await sql`
        insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents, total_cents,
          item_count, created_at)
        values (${order.ref}, ${ada}, ${order.status}, 'card', ${order.total}, ${order.total}, 1, ${order.at})`;
    }
    const viewer = test.api("viewer");

    await t.step("list sorts by name and filters by loyalty tier", async () => {
      const all = await viewer.customers.list({});
      assert.deepEqual(all.items.map((c) => c.name), [
        "Ada Lovelace",
        "Alan Turing",
        "Barbara Liskov",
        "Donald Knuth",
        "Edsger Dijkstra",
        "Grace Hopper",
      ]);
      const gold = await viewer.customers.list({ tier: "gold" });
      assert.deepEqual(gold.items.map((c) => c.code), ["C002", "C003"]);
    });

    await t.step("list searches name, code and email", async () => {
      assert.deepEqual((await viewer.customers.list({ search: "hopper" })).items.map((c) => c.code), [
        "C003",
      ]);
      assert.deepEqual((await viewer.customers.list({ search: "c005" })).items.map((c) => c.code), ["C005"]);
      assert.deepEqual((await viewer.customers.list({ search: "don@" })).items.map((c) => c.code), ["C006"]);
    });

    await t.step("list pages newest first by id without repeating anyone", async () => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await viewer.customers.list({ sort: "id", order: "desc", limit: 4, cursor });
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(ids, [...fixtures.customerIds].sort((a, b) => b - a));
    });

    await t.step("list refuses an unknown tier", async () => {
      await assert.rejects(
        viewer.customers.list({ tier: "diamond" as never }),
        (error) => error instanceof TRPCError && error.code === "BAD_REQUEST" && /tier/.test(error.message),
      );
    });

    await t.step("get returns purchase figures from completed transactions and the latest ones", async () => {
      const customer = await viewer.customers.get({ id: ada });
      assert.equal(customer.loyaltyTier, "platinum");
      assert.deepEqual(
        [customer.stats.orders, customer.stats.spentCents, customer.stats.averageOrderCents],
        [2, 40_000, 20_000],
      );
      assert.equal(customer.stats.refundedOrders, 1);
      assert.equal(customer.stats.lastOrderAt?.toISOString(), "2025-03-05T10:00:00.000Z");
      assert.deepEqual(customer.recentTransactions.map((tx) => tx.orderRef), ["T-3", "T-2", "T-1"]);
      assert.equal(customer.segment, null);
      const quiet = await viewer.customers.get({ id: fixtures.customerIds[5] });
      assert.deepEqual([quiet.stats.orders, quiet.stats.spentCents, quiet.stats.lastOrderAt], [0, 0, null]);
      await assert.rejects(
        viewer.customers.get({ id: 31_337 }),
        (error) => error instanceof TRPCError && error.code === "NOT_FOUND",
      );
    });
  } finally {
    await test.close();
  }
});
