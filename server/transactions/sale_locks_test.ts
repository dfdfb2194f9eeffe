import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import type { Sql, TransactionSql } from "../db/sql.ts";
import { lockProduct, updateProductFields } from "../products/product_queries.ts";
import { adjustStock } from "../products/stock.ts";
import type { Services } from "../services.ts";
import { openTestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { writeOneLineSales } from "./sale_writes.ts";
import { createTransactionInput } from "./schemas.ts";
import { insertCustomers, insertProduct, preparedSale, stockOf } from "./transactions_fixtures.ts";

// every sale scores at or above the block threshold
const blockAll: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 0, block: 0 } };
// no sale does
const allowAll: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 1000, block: 1000 } };

/**
 * Runs `act` while `hold` keeps a transaction of its own open (after it did its work), and says whether
 * `act`'s statements finished meanwhile ("written") or PostgreSQL showed one waiting on a lock; decided by
 * what PostgreSQL says, not by a clock (the held transaction is the only other one of this database).
 */
async function whileHeld<T>(
  sql: Sql,
  hold: (tx: TransactionSql) => Promise<unknown>,
  act: () => Promise<T>,
): Promise<{ outcome: "written" | "waiting on the lock"; result: T }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let locked!: () => void;
  const lockHeld = new Promise<void>((resolve) => locked = resolve);
  const holding = sql.begin(async (tx) => {
    await hold(tx);
    locked();
    await released;
  });
  await lockHeld;
  const action = act();
  let done = false;
  action.then(() => done = true, () => done = true);
  let outcome: "written" | "waiting on the lock" = "written";
  while (!done) {
    const [waiting] = await sql`
      select 1 from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
    if (waiting) {
      outcome = "waiting on the lock";
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  release();
  await holding;
  return { outcome, result: await action };
}

/** A one-unit sale of `productId` by `customerId`, through the app's own sale path. */
function sell(services: Services, customerId: number, productId: number, rules: FraudRules) {
  const order = createTransactionInput.parse({ customerId, productId, quantity: 1, paymentMethod: "card" });
  return createTransaction(services, order, { rules });
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
    const { outcome, result } = await whileHeld(sql, async (tx) => {
      const { results } = await writeOneLineSales(tx, [preparedSale(held, productId)]);
      assert.ok(results[0], "the held sale fits");
    }, () => sell(t.services, blocked, productId, blockAll));
    assert.equal(outcome, "written");
    assert.equal(result.transaction.status, "blocked");
    assert.equal(await stockOf(sql, productId), 9, "only the held sale took stock");
  } finally {
    await t.close();
  }
});

// A stock count (adjustStock) and a product edit (lockProduct) lock the product row for the length of
// their transaction; neither changes a key column (id, sku), so they lock as sales do (FOR NO KEY UPDATE):
// a sale's foreign key check passes them, a sale taking stock still queues behind them.
Deno.test({
  name: "a stock count or a product edit holds up sales taking stock, not a sale's foreign key check",
  ignore: !Deno.env.get("DATABASE_URL"),
}, async (t) => {
  const opened = await openTestServices();
  const sql = opened.services.db.sql;
  const holders: [string, (tx: TransactionSql, productId: number) => Promise<unknown>][] = [
    ["a stock count", (tx, productId) => adjustStock(tx, productId, 5)],
    ["a product edit", async (tx, productId) => {
      assert.ok(await lockProduct(tx, productId));
      await updateProductFields(tx, productId, { priceCents: 2499, reorderPoint: 3 });
    }],
  ];
  // a new product with 10 in stock, one unit of it sold by a new customer while `hold` holds it
  async function sellWhileHeld(
    hold: (tx: TransactionSql, productId: number) => Promise<unknown>,
    rules: FraudRules,
  ) {
    const [customer] = await insertCustomers(sql, 1);
    const productId = await insertProduct(sql, { stock: 10 });
    const held = await whileHeld(
      sql,
      (tx) => hold(tx, productId),
      () => sell(opened.services, customer, productId, rules),
    );
    return { ...held, productId };
  }
  try {
    for (const [name, hold] of holders) {
      await t.step(`${name}: a blocked sale's line is written meanwhile`, async () => {
        const { outcome, result } = await sellWhileHeld(hold, blockAll);
        assert.equal(outcome, "written");
        assert.equal(result.transaction.status, "blocked");
      });
      await t.step(`${name}: a sale taking stock waits for it, and counts from what it left`, async () => {
        const { outcome, result, productId } = await sellWhileHeld(hold, allowAll);
        assert.equal(outcome, "waiting on the lock");
        assert.notEqual(result.transaction.status, "blocked");
        const left = name === "a stock count" ? 4 : 9;
        assert.equal(await stockOf(sql, productId), left, "one unit sold after the held change");
      });
    }
  } finally {
    await opened.close();
  }
});
