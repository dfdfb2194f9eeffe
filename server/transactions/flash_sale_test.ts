import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "../fraud/mod.ts";
import { recordEvents, until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import { createTransaction } from "./create_transaction.ts";
import { KeyedBatcher } from "./sale_batcher.ts";
import { createTransactionInput } from "./schemas.ts";
import { insertCustomers, insertProduct, stockOf } from "./transactions_fixtures.ts";

// every score reaches review, none blocks: all sales go through the batched one-line write
const reviewAll: FraudRules = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 0, block: 101 } };

Deno.test("KeyedBatcher writes an idle key alone and what queues behind it in batches, failing only its own item", async () => {
  const calls: string[] = [];
  let release!: () => void;
  const firstDone = new Promise<void>((resolve) => release = resolve);
  const batcher = new KeyedBatcher<number, number>(
    async (key, item) => {
      calls.push(`one ${key}:${item}`);
      if (item === 1) await firstDone;
      return item * 10;
    },
    (key, items) => {
      calls.push(`many ${key}:${items.join(",")}`);
      return Promise.resolve(
        items.map((item) => item === 3 ? Promise.reject(new Error("no stock")) : item * 10),
      );
    },
  );
  const first = batcher.submit(7, 1);
  const queued = [batcher.submit(7, 2), batcher.submit(7, 3), batcher.submit(7, 4)];
  const other = batcher.submit(8, 5);
  assert.equal(await other, 50, "another key does not wait");
  release();
  assert.equal(await first, 10);
  const settled = await Promise.allSettled(queued);
  assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.deepEqual(calls, ["one 7:1", "one 8:5", "many 7:2,3,4"]);
  assert.equal(await batcher.submit(7, 6), 60, "an emptied lane is idle again");
});

// The flash sale: many buyers of one product at once are committed in batches; every guarantee holds
Deno.test("concurrent sales of one product: no oversell, one row and one event per sale, scores on each answer", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customers = await insertCustomers(sql, 120);
    const productId = await insertProduct(sql, {
      name: "Phone X",
      category: "Phones",
      priceCents: 9_900,
      stock: 80,
    });
    const events: number[] = [];
    const stop = t.services.bus.subscribe((event) => {
      if (event.type === "transaction.created") events.push((event.data as { id: number }).id);
    });
    const results = await Promise.allSettled(customers.map((customerId) =>
      createTransaction(
        t.services,
        createTransactionInput.parse({
          customerId,
          productId,
          quantity: 1,
          paymentMethod: "card",
          deviceId: `device-${customerId}`,
          email: `buyer${customerId}@example.com`,
        }),
        { simulated: customerId % 2 === 0 },
      )
    ));
    const sold = results.filter((r) => r.status === "fulfilled").map((r) => r.value.transaction);
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(await stockOf(sql, productId), 80 - sold.filter((s) => s.status === "completed").length);
    assert.ok(await stockOf(sql, productId) >= 0);
    assert.equal(sold.filter((s) => s.status === "completed").length, 80, "exactly the stock is sold");
    for (const r of refused) assert.match(String((r as PromiseRejectedResult).reason), /Insufficient stock/);
    assert.equal(new Set(sold.map((s) => s.id)).size, sold.length, "each sale is its own transaction");
    for (const s of sold) {
      assert.equal(typeof s.fraudScore, "number");
      assert.equal(s.items[0].productId, productId);
      assert.equal(s.totalCents, 9_900);
    }
    const [{ rows }] = await sql<[{ rows: number }]>`
      select count(*)::int as rows from transaction_items where product_id = ${productId}`;
    assert.equal(rows, sold.length);
    // batched or alone, each sale carries its TM- reference, identity, simulated flag and one audit entry
    const stored = await sql<
      {
        id: number;
        order_ref: string;
        device_id: string;
        email: string;
        simulated: boolean;
        customer_id: number;
      }[]
    >`select id, order_ref, device_id, email, simulated, customer_id from transactions
      where id = any(${sql.array(sold.map((s) => s.id))}::bigint[])`;
    assert.equal(stored.length, sold.length);
    for (const row of stored) {
      const answer = sold.find((s) => s.id === Number(row.id))!;
      assert.match(row.order_ref, /^TM-\d+$/);
      assert.equal(answer.orderRef, row.order_ref);
      assert.equal(row.device_id, `device-${row.customer_id}`);
      assert.equal(answer.deviceId, row.device_id);
      assert.equal(row.email, `buyer${row.customer_id}@example.com`);
      assert.equal(row.simulated, Number(row.customer_id) % 2 === 0);
      assert.equal(answer.simulated, row.simulated);
    }
    const audited = await sql<{ entity_id: string; n: number }[]>`
      select entity_id, count(*)::int as n from audit_log
      where action = 'transaction.created' and entity_id = any(${sql.array(sold.map((s) => String(s.id)))})
      group by entity_id`;
    assert.equal(audited.length, sold.length, "one audit entry per sale");
    assert.ok(audited.every((a) => a.n === 1));
    // events go out after the commit without the answer waiting: give them a moment
    for (let i = 0; i < 50 && events.length < sold.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events.toSorted((a, b) => a - b), sold.map((s) => s.id).toSorted((a, b) => a - b));
    stop();
  } finally {
    await t.close();
  }
});

Deno.test("KeyedBatcher with room for two writes starts the second as a batch, once enough requests wait", async () => {
  const calls: string[] = [];
  const releases = new Map<number, () => void>();
  // every write waits until the test releases it by its first item
  const held = async <T>(first: number, value: T) => {
    await new Promise<void>((resolve) => releases.set(first, resolve));
    return value;
  };
  const batcher = new KeyedBatcher<number, number>(
    (_key, item) => {
      calls.push(`one ${item}`);
      return held(item, item);
    },
    (_key, items) => {
      calls.push(`many ${items.join(",")}`);
      return held(items[0], items);
    },
    256,
    2,
    3,
  );
  const first = batcher.submit(1, 1);
  const queued = [batcher.submit(1, 2), batcher.submit(1, 3)];
  assert.deepEqual(
    calls,
    ["one 1"],
    "behind a running write, fewer than three wait: nothing is written alone",
  );
  queued.push(batcher.submit(1, 4));
  assert.deepEqual(calls, ["one 1", "many 2,3,4"], "the third waiting starts a batch beside the first");
  const last = batcher.submit(1, 5);
  assert.deepEqual(calls, ["one 1", "many 2,3,4"], "two writes run: the next waits");
  releases.get(1)!();
  // the lane's own `finally` on the first write runs before this await resumes: no waiting needed
  assert.equal(await first, 1);
  assert.deepEqual(
    calls,
    ["one 1", "many 2,3,4", "many 5"],
    "a write's end starts the next batch, however small",
  );
  releases.get(2)!();
  assert.deepEqual(await Promise.all(queued), [2, 3, 4]);
  releases.get(5)!();
  assert.equal(await last, 5);
});

// Sales of different products share the instance's batches: each product still sells exactly its stock
Deno.test("concurrent sales of several products: each sells exactly its stock, one row and line per sale", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customers = await insertCustomers(sql, 90);
    const stocks = [5, 12, 20];
    const products: number[] = [];
    for (const [index, stock] of stocks.entries()) {
      products.push(
        await insertProduct(sql, { name: `Tablet ${index}`, category: "Tablets", priceCents: 19_900, stock }),
      );
    }
    const results = await Promise.allSettled(customers.map((customerId, index) =>
      createTransaction(
        t.services,
        createTransactionInput.parse({
          customerId,
          productId: products[index % products.length],
          quantity: 1,
          paymentMethod: "card",
        }),
      )
    ));
    const sold = results.filter((r) => r.status === "fulfilled").map((r) => r.value.transaction)
      .filter((s) => s.status === "completed");
    for (const r of results) {
      if (r.status === "rejected") assert.match(String(r.reason), /Insufficient stock/);
    }
    for (const [index, productId] of products.entries()) {
      const ofProduct = sold.filter((s) => s.items[0].productId === productId);
      assert.equal(ofProduct.length, stocks[index], `product ${index} sells exactly its stock`);
      assert.equal(await stockOf(sql, productId), 0);
      for (const s of ofProduct) assert.equal(s.totalCents, 19_900);
    }
    const [{ rows, lines }] = await sql<[{ rows: number; lines: number }]>`
      select count(distinct t.id)::int as rows, count(*)::int as lines
      from transactions t join transaction_items i on i.transaction_id = t.id
      where i.product_id = any(${sql.array(products)}::bigint[]) and t.status = 'completed'`;
    assert.equal(rows, sold.length);
    assert.equal(lines, sold.length);
  } finally {
    await t.close();
  }
});

// A flash sale where every buyer is under review: the alerts are raised by the sales' own statements
Deno.test("concurrent reviewed sales raise each customer's fraud alert with the sales: one per customer, counted per sale", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customers = await insertCustomers(sql, 30);
    const productId = await insertProduct(sql, {
      name: "Console",
      category: "Gaming",
      priceCents: 49_900,
      stock: 45,
    });
    // one customer already has an open alert in this window, raised before at a higher severity
    const windowStart = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString();
    const [earlier] = await sql<[{ id: number }]>`
      insert into alerts (type, severity, title, message, entity_type, entity_id, dedupe_key, metadata)
      values ('fraud_review', 'critical', 'Blocked a transaction', 'Transaction 1 scored 99', 'customer',
        ${customers[0]}, ${`fraud-review:${customers[0]}:${windowStart}`}, '{"occurrences": 3}')
      returning id`;
    const { events, stop } = recordEvents(t.services.bus);
    // two sales per customer at once: 60 sales for 45 units
    const orders = [...customers, ...customers].map((customerId) =>
      createTransaction(
        t.services,
        createTransactionInput.parse({ customerId, productId, quantity: 1, paymentMethod: "card" }),
        { rules: reviewAll },
      )
    );
    const results = await Promise.allSettled(orders);
    const sold = results.filter((r) => r.status === "fulfilled").map((r) => r.value.transaction);
    assert.equal(sold.length, 45, "exactly the stock is sold");
    assert.ok(sold.every((s) => s.fraudDecision === "review" && typeof s.fraudScore === "number"));

    // no waiting: each answered sale's alert committed with it
    const alerts = await sql<
      { id: number; entity_id: number; severity: string; message: string; metadata: Record<string, number> }[]
    >`select id, entity_id, severity, message, metadata from alerts
      where dedupe_key like 'fraud-review:%' and entity_id = any(${sql.array(customers)}::bigint[])`;
    const soldBy = Map.groupBy(sold, (s) => s.customer!.id);
    assert.equal(alerts.length, soldBy.size, "one alert per customer who bought, none for the others");
    for (const alert of alerts) {
      const theirs = soldBy.get(Number(alert.entity_id))!;
      const last = theirs.find((s) => s.id === alert.metadata.lastTransactionId);
      assert.ok(last, "the alert names one of the customer's sales");
      assert.equal(
        alert.message,
        `Transaction ${last.id} scored ${last.fraudScore}: ${last.fraudReasons[0].message}`,
      );
      const before = Number(alert.id) === Number(earlier.id) ? 3 : 0;
      assert.equal(
        alert.metadata.occurrences,
        before + theirs.length,
        "one occurrence per sale under review",
      );
      if (before) assert.equal(alert.severity, "critical", "severity never falls");
    }
    // one alert.raised per new alert; every other sale under review an alert.changed
    const alertEvents = () => events.filter((e) => e.type === "alert.raised" || e.type === "alert.changed");
    await until(() => alertEvents().length >= sold.length, "an alert event per sale");
    const raised = alertEvents().filter((e) => e.type === "alert.raised").map((e) => e.data.id);
    const newAlerts = alerts.filter((a) => Number(a.id) !== Number(earlier.id)).map((a) => Number(a.id));
    assert.deepEqual(raised.toSorted((a, b) => a - b), newAlerts.toSorted((a, b) => a - b));
    assert.equal(alertEvents().length, sold.length);
    stop();
  } finally {
    await t.close();
  }
});

// The alert is part of the sale's statement: there is never a committed sale under review without it
Deno.test("a sale under review whose alert cannot be written is not written either", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  const customerId = (await insertCustomers(sql, 1))[0];
  const trigger = `refuse_alerts_${customerId}`;
  try {
    const productId = await insertProduct(sql, { stock: 5 });
    await sql.unsafe(`
      create function ${trigger}() returns trigger language plpgsql as $$
      begin
        if new.entity_id = ${customerId} then raise exception 'alerts are refused in this test'; end if;
        return new;
      end $$;
      create trigger ${trigger} before insert or update on alerts for each row execute function ${trigger}();`);
    const order = createTransactionInput.parse({ customerId, productId, quantity: 1, paymentMethod: "card" });
    await assert.rejects(createTransaction(t.services, order, { rules: reviewAll }), /alerts are refused/);
    const [{ n }] = await sql<[{ n: number }]>`
      select count(*)::int as n from transactions where customer_id = ${customerId}`;
    assert.equal(n, 0, "no sale without its alert");
    assert.equal(await stockOf(sql, productId), 5);
  } finally {
    await sql.unsafe(`drop trigger if exists ${trigger} on alerts; drop function if exists ${trigger}();`);
    await t.close();
  }
});
