import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { createTransactionInput } from "./schemas.ts";
import { insertCustomers, insertProduct } from "./transactions_fixtures.ts";

// every sale scores at least 0: all are blocked, and each raises (or adds to) its customer's fraud alert
const blockAll: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 0, block: 0 } };

// Sale statements lock products before alerts; a blocked sale used to lock its product only through its
// line's foreign key, at the statement's end, after its alert. Here another transaction holds the product
// (as a batch of sales does while it runs) and then asks for the customer's alert, as that batch's alert
// upsert does. Only PostgreSQL runs two transactions at once.
Deno.test({
  name:
    "a blocked sale waits for its product before it takes its customer's alert (no deadlock with a batch)",
  ignore: !Deno.env.get("DATABASE_URL"),
  async fn() {
    const t = await openTestServices();
    try {
      const sql = t.services.db.sql;
      const [customerId] = await insertCustomers(sql, 1);
      const productId = await insertProduct(sql, {
        name: "Phone Y",
        category: "Phones",
        priceCents: 9_900,
        stock: 50,
      });
      const order = createTransactionInput.parse({
        customerId,
        productId,
        quantity: 1,
        paymentMethod: "card",
      });
      const first = await createTransaction(t.services, order, { rules: blockAll });
      assert.equal(first.transaction.status, "blocked");
      const [alert] = await sql<{ id: number; occurrences: number }[]>`
        select id, (metadata ->> 'occurrences')::int as occurrences from alerts where entity_type = 'customer' and entity_id = ${
        String(customerId)
      }
          and status <> 'resolved'`;
      assert.ok(alert, "the blocked sale raised its customer's alert");

      const batch = await sql.reserve();
      try {
        await batch`begin`;
        // the deadlock, on the old code, would be found by this side's check, at once rather than after 1 s
        await batch`set local deadlock_timeout = '50ms'`;
        await batch`select id from products where id = ${productId} for update`;
        const second = createTransaction(t.services, order, { rules: blockAll });
        // the sale's statement is waiting on a lock (the product, or on the old code the product after the alert)
        for (let tries = 0;; tries++) {
          const [waiting] = await sql`
            select 1 from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%wanted as%'`;
          if (waiting) break;
          if (tries > 500) throw new Error("the sale never waited on the product");
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // the batch's alert upsert for the same customer: it must not wait on the sale
        await batch`update alerts set updated_at = now() where id = ${alert.id}`;
        await batch`commit`;
        const written = await second;
        assert.equal(written.transaction.status, "blocked");
      } finally {
        batch.release();
      }
      const [after] = await sql<
        { occurrences: number }[]
      >`select (metadata ->> 'occurrences')::int as occurrences from alerts where id = ${alert.id}`;
      assert.equal(
        after.occurrences,
        alert.occurrences + 1,
        "the second sale merged into its customer's alert",
      );
    } finally {
      await t.close();
    }
  },
});
