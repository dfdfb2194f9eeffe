import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { ruleStatsFromCounts } from "./review_queries.ts";
import { insertFraudCustomer, insertFraudProduct, insertStoredTransaction } from "./fraud_fixtures.ts";

Deno.test("ruleStatsFromCounts() gives hit rates per label and the share of firings that were fraud", () => {
  const stats = ruleStatsFromCounts(
    [{ code: "velocity_count", on_fraud: 3, on_legit: 1 }, { code: "not_a_rule", on_fraud: 9, on_legit: 9 }],
    { fraud: 4, legit: 10 },
  );
  const velocity = stats.find((s) => s.code === "velocity_count")!;
  assert.deepEqual(velocity, {
    code: "velocity_count",
    firedOnFraud: 3,
    firedOnLegit: 1,
    fraudHitRate: 0.75,
    legitHitRate: 0.1,
    precision: 0.75,
  });
  const silent = stats.find((s) => s.code === "unusual_hour")!;
  assert.deepEqual([silent.firedOnFraud, silent.firedOnLegit, silent.precision], [0, 0, 1]);
  assert.ok(!stats.some((s) => (s.code as string) === "not_a_rule"));
});

Deno.test("fraud.ruleStats counts each rule's firings on labeled fraud and legit transactions", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customerId = await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z"));
    const productId = await insertFraudProduct(sql, { category: "Phones", priceCents: 80_000 });
    const base = {
      customerId,
      productId,
      unitPriceCents: 80_000,
      createdAt: new Date("2025-02-01T10:00:00Z"),
    };
    await insertStoredTransaction(sql, {
      ...base,
      label: "fraud",
      reasonCodes: ["velocity_count", "unusual_hour"],
    });
    await insertStoredTransaction(sql, { ...base, label: "fraud", reasonCodes: ["velocity_count"] });
    await insertStoredTransaction(sql, { ...base, label: "legit", reasonCodes: ["unusual_hour"] });
    await insertStoredTransaction(sql, { ...base, label: "legit" });
    // unlabeled: not counted
    await insertStoredTransaction(sql, { ...base, reasonCodes: ["velocity_count"] });

    const stats = await t.api("analyst").fraud.ruleStats();
    assert.deepEqual([stats.labeled, stats.fraud, stats.legit], [4, 2, 2]);
    const byCode = Object.fromEntries(stats.rules.map((r) => [r.code, r]));
    assert.deepEqual([byCode.velocity_count.firedOnFraud, byCode.velocity_count.firedOnLegit], [2, 0]);
    assert.deepEqual([byCode.unusual_hour.firedOnFraud, byCode.unusual_hour.firedOnLegit], [1, 1]);
    assert.equal(byCode.unusual_hour.precision, 0.5);
    assert.equal(byCode.unusual_hour.legitHitRate, 0.5);
    await assert.rejects(t.api("viewer").fraud.ruleStats(), { code: "FORBIDDEN" });
  } finally {
    await t.close();
  }
});

Deno.test("fraud.queue lists unlabeled suspicious transactions riskiest first, and labeling takes them out", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customerId = await insertFraudCustomer(sql, new Date("2024-01-01T00:00:00Z"));
    const productId = await insertFraudProduct(sql, { category: "Phones", priceCents: 80_000 });
    const base = {
      customerId,
      productId,
      unitPriceCents: 80_000,
      createdAt: new Date("2025-02-01T10:00:00Z"),
    };
    const low = await insertStoredTransaction(sql, {
      ...base,
      score: 55,
      decision: "review",
      reasonCodes: ["velocity_count"],
    });
    const high = await insertStoredTransaction(sql, {
      ...base,
      score: 91,
      decision: "block",
      status: "blocked",
      reasonCodes: ["block_list"],
    });
    const mid = await insertStoredTransaction(sql, { ...base, score: 70, decision: "review" });
    await insertStoredTransaction(sql, { ...base, score: 10, decision: "allow" });
    await insertStoredTransaction(sql, { ...base, score: 80, decision: "review", label: "legit" });

    const analyst = t.api("analyst");
    const first = await analyst.fraud.queue({ limit: 2 });
    assert.equal(first.total, 3);
    assert.deepEqual(first.items.map((i) => i.id), [high, mid]);
    assert.deepEqual(first.items[0].fraudReasons.map((r) => r.code), ["block_list"]);
    const second = await analyst.fraud.queue({ limit: 2, cursor: first.nextCursor! });
    assert.deepEqual(second.items.map((i) => i.id), [low]);
    assert.equal(second.nextCursor, null);

    await analyst.transactions.label({ id: high, label: "fraud" });
    const after = await analyst.fraud.queue({ limit: 10 });
    assert.deepEqual(after.items.map((i) => i.id), [mid, low]);
    assert.deepEqual((await analyst.fraud.queue({ limit: 10, decision: "block" })).items, []);
  } finally {
    await t.close();
  }
});
