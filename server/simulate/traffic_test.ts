import assert from "node:assert/strict";
import { mulberry32 } from "../../data/random.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertCustomer, insertProduct } from "../transactions/transactions_fixtures.ts";
import { simulateOnce, simulationRefusal, type SimulationTally } from "./traffic.ts";
import { nextDelayMs, planAction, salesPerMinute } from "./traffic_plan.ts";

Deno.test("salesPerMinute() follows shop hours: the lunch peak is far busier than the small hours", () => {
  assert.equal(salesPerMinute(12, 20), 20);
  assert.ok(salesPerMinute(3, 20) < salesPerMinute(12, 20) / 10);
  assert.equal(salesPerMinute(36, 20), salesPerMinute(12, 20));
});

Deno.test("nextDelayMs() waits longer when the shop is quieter, and never less than 50 ms", () => {
  assert.equal(nextDelayMs(() => 0.5, 60), Math.round(-Math.log(0.5) * 1_000));
  assert.ok(nextDelayMs(() => 0.5, 1) > nextDelayMs(() => 0.5, 60));
  assert.equal(nextDelayMs(() => 0, 60), 50);
  assert.equal(nextDelayMs(() => 0.5, 0), 60_000);
});

Deno.test("planAction() sells what is in stock, mostly plain sales, a few suspicious ones and refunds", () => {
  const random = mulberry32(7);
  const products = [
    { id: 1, category: "Accessories", priceCents: 1_999, stock: 50 },
    { id: 2, category: "Laptops", priceCents: 149_900, stock: 2 },
    { id: 3, category: "Phones", priceCents: 79_900, stock: 0 },
  ];
  const kinds = { sale: 0, suspicious: 0, refund: 0, none: 0 };
  for (let i = 0; i < 2_000; i++) {
    const action = planAction(random, { products, customerIds: [10, 11] });
    if (action.kind === "sale") {
      kinds[action.suspicious ? "suspicious" : "sale"] += 1;
      // A suspicious order ships abroad from a fresh device; a plain one ships home
      assert.equal(action.identity.shippingCountry !== action.identity.billingCountry, action.suspicious);
      if (action.channel !== "store") assert.ok(action.identity.deviceId && action.identity.ipAddress);
      for (const item of action.items) {
        const product = products.find((p) => p.id === item.productId)!;
        assert.ok(item.quantity <= product.stock, "never more than the stock");
        assert.notEqual(item.productId, 3, "nothing out of stock");
      }
    } else kinds[action.kind] += 1;
  }
  assert.ok(kinds.sale > 1_800, JSON.stringify(kinds));
  assert.ok(kinds.suspicious > 20 && kinds.suspicious < 120, JSON.stringify(kinds));
  assert.ok(kinds.refund > 10 && kinds.refund < 80, JSON.stringify(kinds));
});

Deno.test("a bounded simulation sells through the API, flags every sale simulated, and keeps stock true", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const initial = new Map<number, number>();
    for (
      const [category, price, stock] of [["Accessories", 1_999, 30], ["Audio", 8_999, 12], [
        "Laptops",
        99_900,
        4,
      ]]
    ) {
      const id = await insertProduct(sql, {
        category: String(category),
        priceCents: Number(price),
        stock: Number(stock),
      });
      initial.set(id, Number(stock));
    }
    for (let i = 0; i < 5; i++) await insertCustomer(sql);
    const tally: SimulationTally = { sales: 0, suspicious: 0, refunds: 0, refused: 0 };
    const random = mulberry32(42);
    for (let i = 0; i < 60; i++) await simulateOnce(t.services, random, tally);
    assert.ok(tally.sales >= 20, JSON.stringify(tally));

    const sales = await sql<{ orderRef: string; simulated: boolean }[]>`
      select order_ref as "orderRef", simulated from transactions`;
    assert.equal(sales.length, tally.sales);
    assert.ok(sales.every((sale) => sale.simulated), "every sale is marked simulated");
    assert.ok(sales.every((sale) => /^TM-\d+$/.test(sale.orderRef)));
    // Each simulated checkout sends identity: a customer's card is the same on every card sale
    const cards = await sql<{ customer_id: number; cards: number; countries: number }[]>`
      select customer_id::int, count(distinct card_bin || card_last4)::int as cards,
             count(billing_country)::int as countries
      from transactions where not (shipping_country is distinct from billing_country) group by customer_id`;
    assert.ok(
      cards.length > 0 && cards.every((row) => row.cards <= 1 && row.countries > 0),
      JSON.stringify(cards),
    );
    const listed = await t.api("viewer").transactions.list({ limit: 5 });
    assert.ok(listed.items.every((item) => item.simulated));

    // the invariant of the reliability tests: stock = initial - sold + given back, never below zero
    const rows = await sql<{ id: number; stock: number; sold: number }[]>`
      select p.id::int, p.stock_quantity as stock,
             coalesce(sum(i.quantity) filter (where t.status in ('completed')), 0)::int as sold
      from products p
      left join transaction_items i on i.product_id = p.id
      left join transactions t on t.id = i.transaction_id
      group by p.id`;
    for (const row of rows) {
      assert.ok(row.stock >= 0);
      assert.equal(row.stock + row.sold, initial.get(row.id), `product ${row.id}`);
    }
  } finally {
    await t.close();
  }
});

Deno.test("the simulator is refused on a PostgreSQL database with real sales unless forced", async () => {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  try {
    const withMode = (mode: "on" | "force", kind: "embedded" | "postgres") => ({
      config: { ...t.services.config, SIMULATE_TRAFFIC: mode },
      db: { ...t.services.db, kind },
    });
    assert.equal(await simulationRefusal(withMode("on", "postgres")), null, "no sales yet");
    const customerId = await insertCustomer(sql);
    const productId = await insertProduct(sql, { stock: 5 });
    await t.api("manager").transactions.create({ customerId, productId, paymentMethod: "card" });
    assert.match(await simulationRefusal(withMode("on", "postgres")) ?? "", /real \(non-simulated\) sales/);
    assert.equal(await simulationRefusal(withMode("force", "postgres")), null);
    assert.equal(await simulationRefusal(withMode("on", "embedded")), null);
  } finally {
    await t.close();
  }
});
