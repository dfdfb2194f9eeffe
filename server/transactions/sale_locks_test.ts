import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { type PreparedSale, writeOneLineSales } from "./sale_writes.ts";
import { createTransactionInput } from "./schemas.ts";
import { insertCustomers, insertProduct, stockOf } from "./transactions_fixtures.ts";

// every sale scores at or above the block threshold
const blockAll: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 0, block: 0 } };

/** A one-line sale as `prepareSale` makes it, allowed, without an alert. */
function preparedSale(customerId: number, productId: number): PreparedSale {
  const now = new Date();
  return {
    orderRef: `TM-LOCK-${crypto.randomUUID().slice(0, 12)}`,
    customerId,
    status: "completed",
    paymentMethod: "card",
    channel: "web",
    subtotalCents: 1999,
    itemCount: 1,
    storedScore: 0,
    verdict: { score: 0, decision: "allow", reasons: [] },
    priorScore: null,
    idempotencyKey: null,
    requestHash: null,
    simulated: false,
    identity: {},
    audit: undefined,
    now,
    lines: [{ productId, quantity: 1, unitPriceCents: 1999 }],
    alert: null,
  };
}

// The deadlock PostgreSQL's log showed under load: a batch held a product's stock lock and waited on a
// blocked sale's new alert (same customer), while the blocked sale, which takes no stock, waited on that
// product for its line's foreign key check (a key-share lock, which FOR UPDATE blocks). The stock lock
// must leave key-share locks alone (FOR NO KEY UPDATE), as an UPDATE of a non-key column does.
Deno.test({
  name: "a batch's stock lock does not hold up a blocked sale of the same product (no deadlock on its alert)",
  // the embedded database serves one connection at a time: a held transaction stops every other
  ignore: !Deno.env.get("DATABASE_URL"),
}, async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const [held, blocked] = await insertCustomers(sql, 2);
    const productId = await insertProduct(sql, { stock: 10 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => release = resolve);
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => locked = resolve);
    const holding = sql.begin(async (tx) => {
      const { results } = await writeOneLineSales(tx, [preparedSale(held, productId)]);
      assert.ok(results[0], "the held sale fits");
      locked();
      await released;
    });
    await lockHeld;
    const order = createTransactionInput.parse({
      customerId: blocked,
      productId,
      quantity: 1,
      paymentMethod: "card",
    });
    const sale = createTransaction(t.services, order, { rules: blockAll });
    // Decided by what PostgreSQL says, not by a clock: the sale either finishes, or its statement is seen
    // waiting on a lock (the held batch is the only other transaction of this database)
    let done = false;
    sale.then(() => done = true, () => done = true);
    let outcome = "written";
    while (!done) {
      const [waiting] = await sql`
        select 1 from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
      if (waiting) {
        outcome = "waiting on the stock lock";
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await holding;
    const result = await sale;
    assert.equal(outcome, "written");
    assert.equal(result.transaction.status, "blocked");
    assert.equal(await stockOf(sql, productId), 9, "only the held sale took stock");
  } finally {
    await t.close();
  }
});
