import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { FRAUD_STREAM_COLUMNS, fraudStreamToCsv, generateFraudStream, mulberry32 } from "./fraud_stream.ts";
import { parseLabeledRow, replayStream } from "../server/fraud/evaluate.ts";
import { DEFAULT_FRAUD_RULES } from "../server/fraud/rules.ts";

const small = { seed: 11, scale: 0.3 };

Deno.test("mulberry32() repeats for a seed and differs between seeds", () => {
  const a = mulberry32(1), b = mulberry32(1), c = mulberry32(2);
  const seqA = [a(), a(), a()];
  assert.deepEqual(seqA, [b(), b(), b()]);
  assert.notDeepEqual(seqA, [c(), c(), c()]);
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
});

Deno.test("generateFraudStream() is deterministic for a seed", () => {
  assert.deepEqual(generateFraudStream(small), generateFraudStream(small));
  assert.notDeepEqual(
    generateFraudStream(small).slice(0, 50),
    generateFraudStream({ ...small, seed: 12 }).slice(0, 50),
  );
});

Deno.test("generateFraudStream() rows are valid, time-ordered and never precede their account", () => {
  const rows = generateFraudStream(small);
  let previous = "";
  for (const raw of rows) {
    const row = parseLabeledRow(raw);
    assert.ok(raw.timestamp >= previous, `${raw.transaction_id} out of order`);
    previous = raw.timestamp;
    assert.ok(row.customer_created_at <= row.timestamp, raw.transaction_id);
  }
  const fraud = new Set(rows.filter((r) => r.is_fraud === 1).map((r) => r.transaction_id)).size;
  const all = new Set(rows.map((r) => r.transaction_id)).size;
  assert.ok(fraud / all > 0.01 && fraud / all < 0.1, `fraud share ${fraud / all}`);
  const scenarios = new Set(rows.map((r) => r.scenario));
  for (
    const s of [
      "legit_regular",
      "legit_big_spender",
      "legit_business",
      "legit_night_owl",
      "legit_new_signup",
      "fraud_card_testing",
      "fraud_account_takeover",
      "fraud_reseller",
      "fraud_new_account",
    ]
  ) assert.ok(scenarios.has(s), s);
});

Deno.test("fraudStreamToCsv() writes the documented columns and round-trips through csv-parse", () => {
  const rows = generateFraudStream(small).slice(0, 200);
  const csv = fraudStreamToCsv(rows);
  assert.equal(csv.split("\n")[0], FRAUD_STREAM_COLUMNS.join(","));
  const parsed = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(parsed.length, 200);
  assert.deepEqual(parsed.map(parseLabeledRow), rows.map(parseLabeledRow));
});

Deno.test("the stream is not trivially separable: some legit orders are flagged and some fraud is missed", () => {
  const outcomes = replayStream(generateFraudStream(small).map(parseLabeledRow), DEFAULT_FRAUD_RULES);
  const review = DEFAULT_FRAUD_RULES.thresholds.review;
  assert.ok(outcomes.some((o) => !o.isFraud && o.score >= review));
  assert.ok(outcomes.some((o) => o.isFraud && o.score < review));
  // Legit customers trip single rules often; that alone must not make them suspicious.
  const legitWithReasons = outcomes.filter((o) => !o.isFraud && o.reasons.length > 0).length;
  assert.ok(legitWithReasons > outcomes.filter((o) => !o.isFraud && o.score >= review).length * 3);
});

Deno.test("generator D (grocery marketplace) is deterministic, about 2% fraud, with newcomers and identity", async () => {
  const { generateGroceryMarketplace } = await import("./fraud_generators/grocery_marketplace.ts");
  const rows = generateGroceryMarketplace({ seed: 3, customers: 200 });
  assert.deepEqual(rows.slice(0, 20), generateGroceryMarketplace({ seed: 3, customers: 200 }).slice(0, 20));
  const orders = new Map(rows.map((r) => [r.transaction_id, r]));
  const fraud = [...orders.values()].filter((r) => r.is_fraud === 1).length;
  assert.ok(fraud / orders.size > 0.005 && fraud / orders.size < 0.05, `${fraud} of ${orders.size}`);
  assert.ok(rows.every((r) => r.device_id && r.card_bin && r.billing_country));
  assert.ok(
    [...orders.values()].some((r) =>
      r.scenario === "legit_weekly" && r.customer_created_at > rows[0].timestamp
    ),
  );
  assert.deepEqual(rows.map((r) => r.timestamp), rows.map((r) => r.timestamp).sort());
});
