import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { recordEvents, until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import {
  alertsWithKey,
  insertCustomer,
  insertCustomers,
  insertProduct,
  rejection,
  stockOf,
} from "./transactions_fixtures.ts";

Deno.test("transactions procedures against the real database", async (t) => {
  const services = await openTestServices();
  const sql = services.services.db.sql;
  const manager = services.api("manager");
  const viewer = services.api("viewer");
  const analyst = services.api("analyst");

  try {
    await t.step(
      "create prices lines from the catalog, takes stock and announces the sale after commit",
      async () => {
        const { events } = recordEvents(services.services.bus);
        const customerId = await insertCustomer(sql, { name: "Ada Buyer" });
        const cable = await insertProduct(sql, { name: "USB-C cable", priceCents: 1299, stock: 40 });
        const mouse = await insertProduct(sql, { name: "Mouse", priceCents: 2500, stock: 30 });
        const created = await manager.transactions.create({
          customerId,
          items: [{ productId: cable, quantity: 2 }, { productId: mouse, quantity: 1 }],
          paymentMethod: "card",
        });
        assert.equal(created.status, "completed");
        assert.equal(created.replayed, false);
        assert.equal(created.totalCents, 2 * 1299 + 2500);
        assert.equal(created.itemCount, 3);
        assert.equal(created.fraudDecision, "allow");
        assert.deepEqual(
          created.items.map((i) => [i.productName, i.quantity, i.unitPriceCents, i.lineTotalCents]),
          [["USB-C cable", 2, 1299, 2598], ["Mouse", 1, 2500, 2500]],
        );
        assert.equal(created.customer?.name, "Ada Buyer");
        assert.equal(await stockOf(sql, cable), 38);
        assert.equal(await stockOf(sql, mouse), 29);
        await until(() => events.filter((e) => e.type === "stock.changed").length === 2, "stock events");
        const sale = events.find((e) => e.type === "transaction.created");
        assert.equal((sale?.data as { id: number }).id, created.id);
      },
    );

    await t.step("create accepts the reference's single-product body", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { priceCents: 4999, stock: 5 });
      const created = await manager.transactions.create({
        customerId,
        productId,
        quantity: 2,
        paymentMethod: "paypal",
      });
      assert.equal(created.totalCents, 9998);
      assert.equal(created.items.length, 1);
      assert.equal(await stockOf(sql, productId), 3);
    });

    await t.step("create refuses more than the stock with CONFLICT and takes nothing", async () => {
      const customerId = await insertCustomer(sql);
      const plenty = await insertProduct(sql, { stock: 10 });
      const scarce = await insertProduct(sql, { name: "Rare lens", stock: 1 });
      const error = await rejection(manager.transactions.create({
        customerId,
        items: [{ productId: plenty, quantity: 2 }, { productId: scarce, quantity: 2 }],
        paymentMethod: "card",
      }));
      assert.equal(error.code, "CONFLICT");
      assert.equal(error.message, "Insufficient stock for Rare lens: 1 left");
      assert.equal(await stockOf(sql, plenty), 10, "the first line's decrement rolled back");
    });

    await t.step("create names unknown customers and products with NOT_FOUND", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql);
      const noProduct = await rejection(
        manager.transactions.create({ customerId, productId: 987654, paymentMethod: "card" }),
      );
      assert.equal(noProduct.code, "NOT_FOUND");
      assert.equal(noProduct.message, "No product with id 987654");
      const noCustomer = await rejection(
        manager.transactions.create({ customerId: 987654, productId, paymentMethod: "card" }),
      );
      assert.equal(noCustomer.code, "NOT_FOUND");
      assert.equal(noCustomer.message, "No customer with id 987654");
    });

    await t.step("create rejects bad input with BAD_REQUEST naming the field", async () => {
      const error = await rejection(manager.transactions.create({
        customerId: 1,
        items: [{ productId: 1, quantity: 0 }],
        paymentMethod: "card",
      }));
      assert.equal(error.code, "BAD_REQUEST");
      const issues = (error.cause as { issues?: { path: PropertyKey[] }[] }).issues ?? [];
      assert.deepEqual(issues.map((issue) => issue.path.join(".")), ["items.0.quantity"]);
    });

    await t.step("create needs the manager role", async () => {
      const error = await rejection(
        viewer.transactions.create({ customerId: 1, productId: 1, paymentMethod: "card" }),
      );
      assert.equal(error.code, "FORBIDDEN");
      const anonymous = await rejection(services.api(null).transactions.list({}));
      assert.equal(anonymous.code, "UNAUTHORIZED");
    });

    await t.step(
      "a retry with the same idempotency key returns the first result and sells once",
      async () => {
        const customerId = await insertCustomer(sql);
        const productId = await insertProduct(sql, { stock: 10 });
        const body = {
          customerId,
          productId,
          quantity: 3,
          paymentMethod: "card" as const,
          idempotencyKey: "retry-key-0001",
        };
        const first = await manager.transactions.create(body);
        const again = await manager.transactions.create(body);
        assert.equal(again.id, first.id);
        assert.equal(again.replayed, true);
        assert.equal(await stockOf(sql, productId), 7);
        const other = await rejection(manager.transactions.create({ ...body, quantity: 4 }));
        assert.equal(other.code, "CONFLICT");
        assert.match(
          other.message,
          /^Idempotency-Key "retry-key-0001" was already used for a different request/,
        );
      },
    );

    await t.step("concurrent requests with one idempotency key create one transaction", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { stock: 100 });
      const body = {
        customerId,
        productId,
        quantity: 1,
        paymentMethod: "card" as const,
        idempotencyKey: "race-key-0001",
      };
      const results = await Promise.all(Array.from({ length: 10 }, () => manager.transactions.create(body)));
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.equal(results.filter((r) => !r.replayed).length, 1);
      assert.equal(await stockOf(sql, productId), 99);
    });

    await t.step("a reviewed order sells and raises one alert per customer per window", async () => {
      // An hour-old account spending £2,500: at cold start the prior sends it to review for its age
      const customerId = await insertCustomer(sql, { createdAt: new Date(Date.now() - 3_600_000) });
      const productId = await insertProduct(sql, {
        name: "Laptop",
        category: "Laptops",
        priceCents: 250_000,
      });
      const first = await manager.transactions.create({ customerId, productId, paymentMethod: "card" });
      assert.equal(first.fraudDecision, "review");
      assert.equal(first.status, "completed");
      assert.ok(first.fraudReasons.some((r) => r.code === "account_age_minutes"), JSON.stringify(first));
      // no dollars in a pound shop, in the reasons or the alert (STORE_CURRENCY, GBP by default)
      assert.ok(
        first.fraudReasons.every((r) => !r.message.includes("$")),
        JSON.stringify(first.fraudReasons),
      );
      const second = await manager.transactions.create({ customerId, productId, paymentMethod: "card" });
      assert.notEqual(second.fraudDecision, "allow");
      const alerts = await alertsWithKey(sql, `fraud-review:${customerId}:`);
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].metadata.occurrences, 2);
      assert.equal(alerts[0].metadata.lastTransactionId, second.id);
      const [text] = await sql`select title || ' ' || message as text from alerts where id = ${alerts[0].id}`;
      assert.doesNotMatch(text.text, /\$/);
    });

    await t.step("low stock after a sale raises one deduplicated alert per product", async () => {
      const { events } = recordEvents(services.services.bus);
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { name: "Webcam", stock: 12, reorderPoint: 10 });
      await manager.transactions.create({ customerId, productId, quantity: 3, paymentMethod: "card" });
      await manager.transactions.create({ customerId, productId, quantity: 9, paymentMethod: "card" });
      // the sale answers first; its product's stock alert is synced just after
      let alerts = await alertsWithKey(sql, `low-stock:${productId}`);
      for (let i = 0; i < 500 && alerts[0]?.metadata.stockQuantity !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        alerts = await alertsWithKey(sql, `low-stock:${productId}`);
      }
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0].severity, "critical", "out of stock after the second sale");
      assert.equal(alerts[0].metadata.stockQuantity, 0);
      // this product's stock alert only: the new customer's orders may also raise a fraud review alert
      const stockRaised = () =>
        events.filter((e) => e.type === "alert.raised" && e.data.dedupeKey === `low-stock:${productId}`);
      await until(() => stockRaised().length > 0, "alert.raised");
      assert.equal(stockRaised().length, 1);
    });

    await t.step(
      "get answers the transaction with items and customer, and NOT_FOUND for unknown ids",
      async () => {
        const customerId = await insertCustomer(sql, { name: "Grace" });
        const productId = await insertProduct(sql, { name: "Keyboard", priceCents: 8900 });
        const created = await manager.transactions.create({ customerId, productId, paymentMethod: "card" });
        const fetched = await viewer.transactions.get({ id: created.id });
        assert.equal(fetched.customer?.name, "Grace");
        assert.deepEqual(fetched.items.map((i) => i.productName), ["Keyboard"]);
        assert.deepEqual(fetched.fraudReasons, created.fraudReasons);
        const missing = await rejection(viewer.transactions.get({ id: 99_999_999 }));
        assert.equal(missing.code, "NOT_FOUND");
        assert.equal(missing.message, "No transaction with id 99999999");
      },
    );

    await t.step(
      "refund restores stock once and records who and why; a second refund is a CONFLICT",
      async () => {
        const customerId = await insertCustomer(sql);
        const productId = await insertProduct(sql, { stock: 20 });
        const created = await manager.transactions.create({
          customerId,
          productId,
          quantity: 5,
          paymentMethod: "card",
        });
        assert.equal(await stockOf(sql, productId), 15);
        const refunded = await manager.transactions.refund({ id: created.id, reason: "Damaged in transit" });
        assert.equal(refunded.status, "refunded");
        assert.ok(refunded.refundedAt);
        assert.deepEqual(
          refunded.history.map((h) => [h.fromStatus, h.toStatus, h.by, h.reason, h.stockRestored]),
          [["completed", "refunded", "test-manager", "Damaged in transit", true]],
        );
        assert.equal(await stockOf(sql, productId), 20);
        const twice = await rejection(manager.transactions.refund({ id: created.id }));
        assert.equal(twice.code, "CONFLICT");
        assert.equal(await stockOf(sql, productId), 20);
        const cancelRefunded = await rejection(manager.transactions.cancel({ id: created.id }));
        assert.equal(cancelRefunded.code, "CONFLICT");
        const [audit] = await sql<[{ actor_name: string; details: { reason: string } }]>`
        select actor_name, details from audit_log
        where action = 'transaction.refund' and entity_id = ${String(created.id)}`;
        assert.equal(audit.actor_name, "test-manager");
        assert.equal(audit.details.reason, "Damaged in transit");
        const unknown = await rejection(manager.transactions.refund({ id: 99_999_999 }));
        assert.equal(unknown.code, "NOT_FOUND");
      },
    );

    await t.step("concurrent refunds of one transaction restore its stock once", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { stock: 10 });
      const created = await manager.transactions.create({
        customerId,
        productId,
        quantity: 4,
        paymentMethod: "card",
      });
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => manager.transactions.refund({ id: created.id })),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      assert.equal(await stockOf(sql, productId), 10);
    });

    await t.step("cancel restores the stock of a completed transaction", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql, { stock: 8 });
      const created = await manager.transactions.create({
        customerId,
        productId,
        quantity: 8,
        paymentMethod: "card",
      });
      assert.equal(await stockOf(sql, productId), 0);
      const cancelled = await manager.transactions.cancel({
        id: created.id,
        reason: "Customer changed mind",
      });
      assert.equal(cancelled.status, "cancelled");
      assert.equal(await stockOf(sql, productId), 8);
      const refundCancelled = await rejection(manager.transactions.refund({ id: created.id }));
      assert.equal(refundCancelled.code, "CONFLICT");
    });

    await t.step("label records an analyst's verdict; viewers may not label", async () => {
      const customerId = await insertCustomer(sql);
      const productId = await insertProduct(sql);
      const created = await manager.transactions.create({ customerId, productId, paymentMethod: "card" });
      const labeled = await analyst.transactions.label({
        id: created.id,
        label: "fraud",
        note: "chargeback",
      });
      assert.equal(labeled.fraudLabel, "fraud");
      assert.equal(labeled.labeledBy, "test-analyst");
      const forbidden = await rejection(viewer.transactions.label({ id: created.id, label: "legit" }));
      assert.equal(forbidden.code, "FORBIDDEN");
      const missing = await rejection(analyst.transactions.label({ id: 99_999_999, label: "legit" }));
      assert.equal(missing.code, "NOT_FOUND");
    });

    await t.step("list filters, sorts and pages by keyset without gaps or repeats", async () => {
      const customerId = await insertCustomer(sql);
      const other = await insertCustomer(sql);
      const phone = await insertProduct(sql, { category: "Phones", priceCents: 30_000, stock: 1000 });
      const case_ = await insertProduct(sql, { category: "Accessories", priceCents: 1_000, stock: 1000 });
      const mine: number[] = [];
      for (let i = 1; i <= 7; i++) {
        const created = await manager.transactions.create({
          customerId,
          items: [{ productId: i % 2 ? phone : case_, quantity: i }],
          paymentMethod: "card",
        });
        mine.push(created.id);
      }
      await manager.transactions.create({ customerId: other, productId: case_, paymentMethod: "card" });

      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await viewer.transactions.list({ customerId, limit: 3, cursor });
        seen.push(...page.items.map((item) => item.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(seen, [...mine].reverse(), "newest first, each once");

      const byAmount = await viewer.transactions.list({ customerId, sort: "amount", limit: 100 });
      const amounts = byAmount.items.map((item) => item.totalCents);
      assert.deepEqual(amounts, [...amounts].sort((a, b) => b - a));
      const ascending: number[] = [];
      cursor = undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await viewer.transactions.list({
          customerId,
          sort: "amount",
          order: "asc",
          limit: 2,
          cursor,
        });
        ascending.push(...page.items.map((item) => item.totalCents));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      assert.deepEqual(ascending, [...amounts].reverse());

      const phones = await viewer.transactions.list({ customerId, category: "phones", limit: 100 });
      assert.equal(phones.items.length, 4);
      const withCase = await viewer.transactions.list({ customerId, productId: case_, limit: 100 });
      assert.equal(withCase.items.length, 3);
      const midRange = await viewer.transactions.list({
        customerId,
        minAmountCents: 60_000,
        maxAmountCents: 150_000,
        limit: 100,
      });
      assert.deepEqual(midRange.items.map((i) => i.totalCents).sort((a, b) => a - b), [90_000, 150_000]);
      const future = await viewer.transactions.list({ customerId, from: new Date(Date.now() + 3_600_000) });
      assert.equal(future.items.length, 0);
      const refunded = await viewer.transactions.list({ status: "refunded", limit: 100 });
      assert.ok(refunded.items.every((item) => item.status === "refunded") && refunded.items.length >= 2);

      const createdCursor = (await viewer.transactions.list({ customerId, limit: 1 })).nextCursor!;
      const wrongSort = await rejection(
        viewer.transactions.list({ customerId, sort: "amount", cursor: createdCursor }),
      );
      assert.equal(wrongSort.code, "BAD_REQUEST", "a cursor of one sort is refused by another");
    });

    await t.step("suspicious lists reviewed and blocked transactions with their reasons", async () => {
      const listed = await viewer.transactions.list({ suspicious: true, limit: 100 });
      assert.ok(listed.items.length >= 2);
      assert.ok(listed.items.every((item) => item.fraudDecision !== "allow"));
      const queue = await viewer.transactions.suspicious({ limit: 100 });
      assert.deepEqual(queue.items.map((item) => item.id), listed.items.map((item) => item.id));
      assert.ok(queue.items.every((item) => item.fraudReasons.length > 0));
      const unlabeled = await viewer.transactions.suspicious({ unlabeled: true, limit: 100 });
      assert.ok(unlabeled.items.every((item) => item.fraudLabel === null));
    });

    await t.step("200 concurrent purchases of 50 in stock sell exactly 50", async () => {
      const productId = await insertProduct(sql, { name: "Hot console", priceCents: 999, stock: 50 });
      const customers = await insertCustomers(sql, 200);
      const results = await Promise.allSettled(
        customers.map((customerId) =>
          manager.transactions.create({ customerId, productId, paymentMethod: "card" })
        ),
      );
      const sold = results.filter((r) => r.status === "fulfilled");
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.equal(sold.length, 50);
      assert.equal(refused.length, 150);
      for (const r of refused) {
        assert.equal((r.reason as TRPCError).code, "CONFLICT", String(r.reason));
        assert.equal((r.reason as TRPCError).message, "Insufficient stock for Hot console: 0 left");
      }
      assert.equal(await stockOf(sql, productId), 0);
      const [count] = await sql<[{ n: number }]>`
        select count(*)::int as n from transaction_items where product_id = ${productId}`;
      assert.equal(count.n, 50);
    });
  } finally {
    await services.close();
  }
});
