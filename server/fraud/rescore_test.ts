import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { createReplayer } from "./evaluate.ts";
import { readHistoryInOrder } from "./history_queries.ts";
import { labelSampleHistory, rescoreHistory } from "./rescore.ts";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";
import { insertFraudCustomer, insertFraudProduct, insertStoredTransaction } from "./fraud_fixtures.ts";

Deno.test("rescoreHistory() stores the scores a replay in time order gives, in batches, and is idempotent", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const phone = await insertFraudProduct(sql, { category: "Phones", priceCents: 90_000 });
    const cable = await insertFraudProduct(sql, { category: "Accessories", priceCents: 1_500 });
    const regulars = [
      await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z")),
      await insertFraudCustomer(sql, new Date("2024-02-01T00:00:00Z")),
    ];
    for (let day = 0; day < 10; day++) {
      for (const customerId of regulars) {
        await insertStoredTransaction(sql, {
          customerId,
          productId: cable,
          unitPriceCents: 1_500,
          createdAt: new Date(Date.UTC(2025, 0, 1 + day * 3, 14)),
        });
      }
    }
    // A burst: an account opened at 10:00 places eight phone orders a minute apart, inserted out of order
    const signUp = new Date("2025-01-20T10:00:00Z");
    const fraudster = await insertFraudCustomer(sql, signUp);
    const burst: number[] = [];
    for (const minute of [8, 3, 5, 1, 2, 7, 4, 6]) {
      burst.push(
        await insertStoredTransaction(sql, {
          customerId: fraudster,
          productId: phone,
          unitPriceCents: 90_000,
          createdAt: new Date(signUp.getTime() + (10 + minute) * 60_000),
          paymentMethod: minute % 2 ? "card" : "gift_card",
        }),
      );
    }

    const result = await rescoreHistory(sql, DEFAULT_FRAUD_RULES, { batchSize: 7 });
    assert.equal(result.transactions, 28);
    const rows = await sql<
      {
        id: number;
        customer_id: number;
        fraud_score: number;
        fraud_decision: string;
        fraud_reasons: { code: string }[];
      }[]
    >`select id, customer_id, fraud_score, fraud_decision, fraud_reasons from transactions order by created_at, id`;
    const regular = rows.filter((r) => r.customer_id !== fraudster);
    assert.ok(regular.every((r) => r.fraud_decision === "allow"), "ordinary orders stay allowed");
    const flagged = rows.filter((r) => r.customer_id === fraudster && r.fraud_decision !== "allow");
    assert.ok(flagged.length >= 5, `the burst is flagged once it is one (${flagged.length} of 8)`);
    assert.ok(flagged.some((r) => r.fraud_reasons.some((reason) => reason.code === "velocity_count")));
    assert.equal(result.review + result.block, rows.filter((r) => r.fraud_decision !== "allow").length);

    // The stored figures are exactly those of a replay through the same scoring code
    const replayer = createReplayer(DEFAULT_FRAUD_RULES);
    const stored = new Map(rows.map((r) => [r.id, r]));
    for await (const batch of readHistoryInOrder(sql)) {
      for (const input of batch) {
        const outcome = replayer.replay(input);
        assert.equal(stored.get(input.id)!.fraud_score, Math.floor(outcome.score));
        assert.equal(stored.get(input.id)!.fraud_decision, outcome.decision);
      }
    }

    const again = await rescoreHistory(sql, DEFAULT_FRAUD_RULES);
    assert.equal(again.updated, 0, "a second run with the same rules changes nothing");

    // The sample labeler calls the burst fraud, keeps a quarter of the flagged burst in the queue
    const labels = await labelSampleHistory(sql);
    const labeled = await sql<{ id: number; fraud_label: string | null; fraud_decision: string }[]>`
      select id, fraud_label, fraud_decision from transactions where customer_id = ${fraudster} order by id`;
    for (const row of labeled) {
      const expected = row.fraud_decision === "allow" || row.id % 4 !== 0 ? "fraud" : null;
      assert.equal(row.fraud_label, expected, `transaction ${row.id}`);
    }
    assert.equal(labels.fraud, labeled.filter((r) => r.fraud_label === "fraud").length);
    const regularLegit = await sql<{ id: number }[]>`
      select id from transactions where customer_id <> ${fraudster} and fraud_label = 'legit'`;
    assert.deepEqual(
      regularLegit.map((r) => r.id % 50),
      regularLegit.map(() => 0),
      "one in fifty spot-checked",
    );
  } finally {
    await t.close();
  }
});
