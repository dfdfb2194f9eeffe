import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer } from "../transactions/transactions_fixtures.ts";
import { measureMetric } from "./rule_queries.ts";

Deno.test("the revenue drop against last week compares the window with the same window a week ago, and nothing between", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const customerId = await insertCustomer(sql);
    const now = new Date("2026-12-07T12:00:00Z");
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const sale = async (at: Date, cents: number, status = "completed") =>
      await sql`
        insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
          discount_cents, total_cents, item_count, created_at)
        values (${`T-${crypto.randomUUID()}`}, ${customerId}, ${status}, 'card', 'web', ${cents}, 0, ${cents}, 1, ${at})`;
    await sale(hoursAgo(0.5), 3_000); // in the window
    await sale(hoursAgo(168.5), 10_000); // the same window a week ago
    await sale(hoursAgo(168.25), 2_000, "refunded"); // a week ago, not completed: not counted
    await sale(hoursAgo(72), 50_000); // between the two: not counted
    await sale(hoursAgo(169.5), 40_000); // a week ago, before that window: not counted
    // 3,000 against 10,000: down 70%
    assert.equal(await measureMetric(sql, "revenue_drop_vs_last_week_pct", 60, now), 70);
    // a window of 3 hours: 3,000 against 10,000 + 40,000 a week ago
    assert.equal(await measureMetric(sql, "revenue_drop_vs_last_week_pct", 180, now), 94);
  } finally {
    await t.close();
  }
});
