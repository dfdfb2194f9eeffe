import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import { openTestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { loadFraudContext } from "./fraud_history_queries.ts";
import { createTransactionInput } from "./schemas.ts";
import { alertsWithKey, insertCustomer, insertProduct, stockOf } from "./transactions_fixtures.ts";

// Low thresholds make the new-customer-high-value rule alone block an order
const strictRules: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 10, block: 20 } };

Deno.test("createTransaction() records a blocked order without taking stock", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customerId = await insertCustomer(sql, { createdAt: new Date(Date.now() - 3_600_000) });
    const productId = await insertProduct(sql, {
      name: "GPU",
      category: "Graphics Cards",
      priceCents: 180_000,
      stock: 4,
    });
    const order = createTransactionInput.parse({
      customerId,
      productId,
      quantity: 2,
      paymentMethod: "card",
      idempotencyKey: "blocked-order-1",
    });
    const { transaction, replayed } = await createTransaction(t.services, order, { rules: strictRules });
    assert.equal(replayed, false);
    assert.equal(transaction.status, "blocked");
    assert.equal(transaction.fraudDecision, "block");
    assert.ok(transaction.fraudScore >= 20);
    assert.equal(transaction.totalCents, 360_000, "the attempt is recorded at catalog prices");
    assert.equal(await stockOf(sql, productId), 4, "a blocked order takes no stock");
    const [alert] = await alertsWithKey(sql, `fraud-review:${customerId}:`);
    assert.equal(alert.severity, "critical");

    const retry = await createTransaction(t.services, order, { rules: strictRules });
    assert.equal(retry.replayed, true);
    assert.equal(retry.transaction.id, transaction.id);

    // A blocked transaction cannot be refunded (nothing was sold) nor cancelled
    const manager = t.api("manager");
    await assert.rejects(manager.transactions.refund({ id: transaction.id }), { code: "CONFLICT" });
    await assert.rejects(manager.transactions.cancel({ id: transaction.id }), { code: "CONFLICT" });
    assert.equal(await stockOf(sql, productId), 4);
  } finally {
    await t.close();
  }
});

Deno.test("loadFraudContext() reads the customer's window, high-resale units and product quantities", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const manager = t.api("manager");
    const customerId = await insertCustomer(sql, { name: "Lin" });
    const other = await insertCustomer(sql);
    const phone = await insertProduct(sql, { category: "Phones", priceCents: 10_000, stock: 1000 });
    const cable = await insertProduct(sql, { category: "Accessories", priceCents: 500, stock: 1000 });
    // The fraud screen would block a burst of phones; this test is about what the context reads
    for (const id of [customerId, other]) {
      await t.api("analyst").fraud.lists.put({ customerId: id, list: "allow", reason: "known buyer" });
    }
    await manager.transactions.create({
      customerId,
      items: [{ productId: phone, quantity: 2 }, { productId: cable, quantity: 5 }],
      paymentMethod: "card",
    });
    await manager.transactions.create({ customerId, productId: cable, quantity: 1, paymentMethod: "paypal" });
    for (const quantity of [1, 1, 3]) {
      await manager.transactions.create({
        customerId: other,
        productId: phone,
        quantity,
        paymentMethod: "card",
      });
    }
    // An old order outside the history window must not be read
    await sql`update transactions set created_at = now() - interval '400 days'
              where customer_id = ${customerId} and payment_method = 'paypal'`;

    const context = await loadFraudContext(sql, {
      customerId,
      productIds: [phone, cable],
      now: new Date(Date.now() + 1000),
      rules: DEFAULT_FRAUD_RULES,
    });
    assert.ok(context);
    assert.equal(context.customerName, "Lin");
    assert.equal(context.history.transactions.length, 1);
    const [entry] = context.history.transactions;
    assert.equal(entry.totalCents, 22_500);
    assert.equal(entry.paymentMethod, "card");
    assert.equal(entry.status, "completed");
    assert.equal(entry.maxItemQuantity, 5);
    assert.equal(entry.highResaleUnits, 2, "phones count as high-resale, cables do not");
    // phone lines: 2, 1, 1, 3 -> median 1.5; cable lines: 5 and the old 1 (product stats ignore the window)
    assert.equal(context.history.productQuantityStats[String(phone)].count, 4);
    assert.equal(context.history.productQuantityStats[String(phone)].median, 1.5);
    assert.equal(context.history.productQuantityStats[String(cable)].count, 2);

    assert.equal(
      await loadFraudContext(sql, {
        customerId: 987_654,
        productIds: [phone],
        now: new Date(),
        rules: DEFAULT_FRAUD_RULES,
      }),
      undefined,
    );
  } finally {
    await t.close();
  }
});
