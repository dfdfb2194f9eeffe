import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES } from "../fraud/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { loadFraudContext } from "./fraud_history_queries.ts";
import { insertCustomer, insertProduct } from "./transactions_fixtures.ts";

Deno.test("a sale keeps its line summary, and the fraud history reads from it what its lines say", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const customerId = await insertCustomer(sql);
    const phone = await insertProduct(sql, { category: "Phones", stock: 100 });
    const cable = await insertProduct(sql, { category: "Accessories", stock: 100 });
    const manager = t.api("manager");
    // a two-line order (written alone) and a one-line order (written by the batch of one-line sales)
    await manager.transactions.create({
      customerId,
      items: [{ productId: phone, quantity: 2 }, { productId: cable, quantity: 5 }],
      paymentMethod: "card",
    });
    await manager.transactions.create({
      customerId,
      items: [{ productId: phone, quantity: 3 }],
      paymentMethod: "card",
    });

    const stored = await sql<{ max_item_quantity: number; category_units: Record<string, number> }[]>`
      select max_item_quantity, category_units from transactions where customer_id = ${customerId} order by id`;
    assert.deepEqual(stored.map((row) => ({ ...row })), [
      { max_item_quantity: 5, category_units: { phones: 2, accessories: 5 } },
      { max_item_quantity: 3, category_units: { phones: 3 } },
    ]);

    const history = async (categories: string[]) => {
      const rules = {
        ...DEFAULT_FRAUD_RULES,
        highResaleUnits: { ...DEFAULT_FRAUD_RULES.highResaleUnits, categories },
      };
      const context = await loadFraudContext(sql, {
        customerId,
        productIds: [phone],
        now: new Date(Date.now() + 1_000),
        rules,
      });
      return context!.history.transactions
        .map((entry) => [entry.maxItemQuantity, entry.highResaleUnits])
        .sort((a, b) => a[0] - b[0]);
    };
    // the rules' categories still choose which units count
    const read = async () => ({
      phones: await history(["phones"]),
      accessories: await history(["Accessories"]),
      both: await history(["Phones", "accessories"]),
      none: await history([]),
    });
    const fromSummary = await read();
    assert.deepEqual(fromSummary, {
      phones: [[3, 3], [5, 2]],
      accessories: [[3, 0], [5, 5]],
      both: [[3, 3], [5, 7]],
      none: [[3, 0], [5, 0]],
    });
    // orders written before the summary (or by a writer that leaves it out) read the same from their lines
    await sql`update transactions set max_item_quantity = null, category_units = null
      where customer_id = ${customerId}`;
    assert.deepEqual(await read(), fromSummary);
  } finally {
    await t.close();
  }
});
