import assert from "node:assert/strict";
import { resampleFraudRate } from "./resample.ts";

/** 1,000 customers with two transactions each (the second has two rows); every 20th customer's are fraud. */
function rows() {
  return Array.from({ length: 1000 }, (_, c) =>
    [0, 1, 1].map((t) => ({
      transaction_id: `t${c}-${t}`,
      customer_id: `c${c}`,
      is_fraud: c % 20 === 0 ? 1 : 0,
    }))).flat();
}

const rateOf = (list: ReturnType<typeof rows>) => {
  const tx = new Map(list.map((r) => [r.transaction_id, r.is_fraud]));
  return [...tx.values()].filter((f) => f === 1).length / tx.size;
};

Deno.test("resampleFraudRate: thinned or thickened to the rate, by transactions", () => {
  const all = rows();
  assert.equal(rateOf(all), 0.05);
  for (const rate of [0.02, 0.1, 0.15]) {
    const out = resampleFraudRate(all, rate, 7);
    // whole customers of two transactions: within one customer of the rate
    assert.ok(Math.abs(rateOf(out) - rate) < 0.004, `${rate}: ${rateOf(out)}`);
  }
  // thinning keeps every honest customer, thickening every customer with fraud
  const thin = resampleFraudRate(all, 0.02, 7);
  assert.equal(thin.filter((r) => r.is_fraud === 0).length, all.filter((r) => r.is_fraud === 0).length);
  const thick = resampleFraudRate(all, 0.15, 7);
  assert.equal(thick.filter((r) => r.is_fraud === 1).length, all.filter((r) => r.is_fraud === 1).length);
});

Deno.test("resampleFraudRate: whole customers, rows in their order, the same for a seed", () => {
  const all = rows();
  const out = resampleFraudRate(all, 0.1, 7);
  const kept = new Set(out.map((r) => r.customer_id));
  for (const id of kept) assert.equal(out.filter((r) => r.customer_id === id).length, 3, id);
  const positions = out.map((r) => all.indexOf(r));
  assert.deepEqual(positions, positions.slice().sort((a, b) => a - b));
  assert.deepEqual(resampleFraudRate(all, 0.1, 7), out);
  assert.notDeepEqual(resampleFraudRate(all, 0.1, 8), out, "another seed leaves other customers out");
  assert.equal(resampleFraudRate(all, 0.05, 7).length, all.length, "at the rate already: nothing left out");
  assert.throws(() => resampleFraudRate(all, 0, 7), /between 0 and 1/);
});
