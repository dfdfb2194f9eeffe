import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { type PreparedSale, writeOneLineSales } from "./sale_writes.ts";
import { prepareSale, writeBatch } from "./create_transaction.ts";
import { createTransactionInput } from "./schemas.ts";
import { DEFAULT_FRAUD_RULES } from "../fraud/mod.ts";
import {
  alertsWithKey,
  insertCustomers,
  insertProduct,
  preparedSale,
  stockOf,
} from "./transactions_fixtures.ts";
import { fraudAlert } from "./sale_alerts.ts";

// Text that an array literal or a JSON document must escape: quotes, backslashes, braces, commas, a NULL word
const awkward = `"Mozilla/5.0" {x,y} \\ back\\slash, 'single' NULL ünïcødé ✓`;

function sale(customerId: number, productId: number, extra: Partial<PreparedSale> = {}): PreparedSale {
  return preparedSale(customerId, productId, {
    storedScore: 41,
    verdict: {
      score: 41.7,
      decision: "review",
      reasons: [{ code: "amount_cents", message: `Said ${awkward}`, contribution: 12.5 }],
    },
    priorScore: 0.25,
    now: new Date("2026-12-06T12:00:00.123Z"),
    ...extra,
  });
}

Deno.test("writeOneLineSales() stores each sale of a batch as sent, and refuses from the first sale past the stock on", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const [first, second] = await insertCustomers(sql, 2);
    const scarce = await insertProduct(sql, { stock: 2 });
    const plenty = await insertProduct(sql, { stock: 10 });
    const batch = [
      sale(first, scarce, {
        identity: { userAgent: awkward, email: "o'neil@example.com", billingCountry: "DE" },
        simulated: true,
      }),
      sale(second, plenty, { priorScore: null, verdict: { score: 3, decision: "allow", reasons: [] } }),
      sale(second, scarce, { lines: [{ productId: scarce, quantity: 2, unitPriceCents: 1999 }] }),
      sale(first, scarce),
    ];
    const { results, stock } = await writeOneLineSales(sql, batch);
    // 2 in stock: the first sale fits; from the second (two units) on, the running total per product is past
    // the stock, so the last one does not fit either, though one unit is left (as before this statement took
    // its batch as JSON: the running total counts refused sales too; `writeBatch` then writes the last alone)
    assert.deepEqual(results.map((r) => r?.stockAfter), [1, 9, undefined, undefined]);
    assert.deepEqual(
      stock.map((s) => [s.productId, s.stockQuantity]).sort((a, b) => a[0] - b[0]),
      [[scarce, 1], [plenty, 9]].sort((a, b) => a[0] - b[0]),
    );
    assert.equal(await stockOf(sql, scarce), 1);
    const rows = await sql<{
      order_ref: string;
      customer_id: string;
      fraud_score: number;
      fraud_decision: string;
      fraud_reasons: unknown;
      user_agent: string | null;
      email: string | null;
      billing_country: string | null;
      simulated: boolean;
      fraud_prior_score: number | null;
      created_at: Date;
    }[]>`
      select order_ref, customer_id::text, fraud_score, fraud_decision, fraud_reasons, user_agent, email,
             billing_country, simulated, fraud_prior_score::float8 as fraud_prior_score, created_at
      from transactions where order_ref = any(${sql.array(batch.map((s) => s.orderRef))}::text[])
      order by id`;
    assert.deepEqual(rows.map((r) => r.order_ref), [batch[0].orderRef, batch[1].orderRef]);
    assert.deepEqual(
      rows.map((r) => [
        r.customer_id,
        r.fraud_score,
        r.fraud_decision,
        r.user_agent,
        r.email,
        r.billing_country,
        r.simulated,
        r.fraud_prior_score,
        r.created_at.toISOString(),
      ]),
      [
        [
          String(first),
          41,
          "review",
          awkward,
          "o'neil@example.com",
          "DE",
          true,
          0.25,
          "2026-12-06T12:00:00.123Z",
        ],
        [String(second), 41, "allow", null, null, null, false, null, "2026-12-06T12:00:00.123Z"],
      ],
    );
    const reasons = (value: unknown) => typeof value === "string" ? JSON.parse(value) : value;
    assert.deepEqual(reasons(rows[0].fraud_reasons), batch[0].verdict.reasons);
    assert.deepEqual(reasons(rows[1].fraud_reasons), []);
    const [{ lines }] = await sql<[{ lines: number }]>`
      select count(*)::int as lines from transaction_items i join transactions t on t.id = i.transaction_id
      where t.order_ref = any(${sql.array(batch.map((s) => s.orderRef))}::text[])`;
    assert.equal(lines, 2);
  } finally {
    await t.close();
  }
});

// The batch's running total counts the sales that did not fit: a smaller sale after a larger refused one is
// refused with it by the statement, and must still be written when the stock covers it
Deno.test("writeBatch() writes alone a sale refused only because a larger one before it did not fit", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const [first, second] = await insertCustomers(sql, 2);
    const productId = await insertProduct(sql, { stock: 1 });
    const prepare = (customerId: number, quantity: number) =>
      prepareSale(
        t.services,
        createTransactionInput.parse({ customerId, productId, quantity, paymentMethod: "card" }),
        { rules: DEFAULT_FRAUD_RULES, requestHash: "", now: new Date(), simulated: false },
      );
    const batch = [await prepare(first, 2), await prepare(second, 1)];
    assert.deepEqual(batch.map((p) => p.sale.status), ["completed", "completed"]);
    const [large, small] = await Promise.allSettled(await writeBatch(t.services, batch));
    assert.equal(large.status, "rejected");
    assert.equal((large as PromiseRejectedResult).reason.code, "CONFLICT");
    assert.match((large as PromiseRejectedResult).reason.message, /^Insufficient stock for .*: [01] left$/);
    assert.equal(small.status, "fulfilled");
    assert.equal(
      (small as PromiseFulfilledResult<{ transaction: { itemCount: number } }>).value.transaction.itemCount,
      1,
    );
    assert.equal(await stockOf(sql, productId), 0);
    const [{ sales }] = await sql<[{ sales: number }]>`
      select count(*)::int as sales from transaction_items where product_id = ${productId}`;
    assert.equal(sales, 1);
  } finally {
    await t.close();
  }
});

// A blocked sale goes with its batch: written as `writeSale` writes it (its row, line, audit entry and alert,
// no stock taken), and its units count nothing towards the product's running total
Deno.test("writeBatch() writes a blocked sale with the batch, taking no stock and leaving the others theirs", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const [first, second, third] = await insertCustomers(sql, 3);
    const productId = await insertProduct(sql, { stock: 3 });
    const now = new Date();
    const prepare = (customerId: number, quantity: number) =>
      prepareSale(
        t.services,
        createTransactionInput.parse({ customerId, productId, quantity, paymentMethod: "card" }),
        { rules: DEFAULT_FRAUD_RULES, requestHash: "", now, simulated: false },
      );
    const toBlock = await prepare(second, 5);
    const verdict = {
      score: 97,
      decision: "block" as const,
      reasons: [{ code: "customer_orders_1h" as const, message: "Ten orders in an hour", contribution: 60 }],
    };
    const blocked = {
      ...toBlock,
      sale: {
        ...toBlock.sale,
        status: "blocked" as const,
        storedScore: 97,
        verdict,
        alert: fraudAlert(
          { customerId: second, customerName: toBlock.customerName, totalCents: toBlock.sale.subtotalCents },
          verdict,
          { thresholds: DEFAULT_FRAUD_RULES.thresholds, now },
        ),
      },
    };
    const written = await Promise.all(
      await writeBatch(t.services, [await prepare(first, 2), blocked, await prepare(third, 1)]),
    );
    assert.deepEqual(written.map((w) => w.transaction.status), ["completed", "blocked", "completed"]);
    // 3 in stock: 2 and then 1 fit, the 5 units blocked between them took nothing
    assert.deepEqual(written.map((w) => w.stockChanges.map((c) => [c.change, c.stockQuantity])), [
      [[-2, 1]],
      [],
      [[-1, 0]],
    ]);
    assert.equal(await stockOf(sql, productId), 0);
    const rows = await sql<{ status: string; quantity: number; audited: number }[]>`
      select t.status, i.quantity,
        (select count(*)::int from audit_log a where a.entity_type = 'transaction' and a.entity_id = t.id::text)
          as audited
      from transactions t join transaction_items i on i.transaction_id = t.id
      where t.customer_id = ${second}`;
    assert.deepEqual(rows.map((r) => ({ ...r })), [{ status: "blocked", quantity: 5, audited: 1 }]);
    assert.equal(written[1].alerts.length, 1);
    const alerts = await alertsWithKey(sql, blocked.sale.alert.dedupeKey);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].status, "open");
  } finally {
    await t.close();
  }
});
