import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer, insertProduct } from "./transactions_fixtures.ts";

Deno.test("sales made in the app number on in the sample's TM- style, once each under concurrency", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const manager = t.api("manager");
    const customerId = await insertCustomer(sql);
    const productId = await insertProduct(sql, { stock: 1_000 });
    // an imported sale holding the very number the sequence would draw next
    await sql`
      insert into transactions (order_ref, customer_id, status, payment_method, channel, subtotal_cents,
        discount_cents, total_cents, item_count)
      values ('TM-100001', ${customerId}, 'completed', 'card', 'web', 100, 0, 100, 1)`;
    const sales = await Promise.all(
      Array.from(
        { length: 12 },
        () => manager.transactions.create({ customerId, productId, paymentMethod: "card" }),
      ),
    );
    const refs = sales.map((sale) => sale.orderRef);
    for (const ref of refs) assert.match(ref ?? "", /^TM-\d+$/);
    assert.equal(new Set(refs).size, refs.length, "every reference is different");
    const numbers = refs.map((ref) => Number(ref!.slice(3))).sort((a, b) => a - b);
    assert.ok(numbers[0] >= 100_001, `numbers continue the sample's: ${numbers[0]}`);
    assert.ok(!refs.includes("TM-100001"), "the imported number is not drawn again");
  } finally {
    await t.close();
  }
});
