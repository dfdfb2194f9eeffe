/**
 * A labeled stream thinned or thickened to another fraud rate, to measure how a screen behaves on shops with
 * more or less fraud than the generator wrote (docs/fraud.md, "Session 8"). Whole customers are left out, never
 * single rows, so every kept customer keeps its own history (its velocity, its median, its links): for a lower
 * rate, customers with fraud; for a higher rate, customers without. Which ones is fixed by a hash of the
 * customer id and the seed, so a rate and a seed always give the same stream.
 */

/** The columns the resampling reads (a generator's row or a parsed bench row). */
export interface ResampledRow {
  transaction_id: string;
  customer_id: string;
  is_fraud: number | boolean;
}

/**
 * The rows of the customers kept so that the share of fraud transactions is as close to `rate` as whole
 * customers allow (it stops at the first customer that reaches it). Rows keep their order.
 * @example resampleFraudRate(rows, 0.1, 1) // about 10% of the transactions left are fraud
 */
export function resampleFraudRate<T extends ResampledRow>(rows: readonly T[], rate: number, seed = 1): T[] {
  if (!(rate > 0 && rate < 1)) throw new Error(`A fraud rate is a share between 0 and 1, not "${rate}"`);
  const customers = new Map<string, { fraud: Set<string>; legit: Set<string> }>();
  for (const row of rows) {
    const c = customers.get(row.customer_id) ?? { fraud: new Set(), legit: new Set() };
    customers.set(row.customer_id, c);
    (Number(row.is_fraud) === 1 ? c.fraud : c.legit).add(row.transaction_id);
  }
  let fraud = 0, legit = 0;
  for (const c of customers.values()) {
    fraud += c.fraud.size;
    legit += c.legit.size;
  }
  const lower = fraud / (fraud + legit) > rate;
  // for a lower rate customers with fraud leave, for a higher one customers without
  const candidates = [...customers].filter(([, c]) => (c.fraud.size > 0) === lower)
    .sort(([a], [b]) => hash(a, seed) - hash(b, seed) || (a < b ? -1 : 1));
  const dropped = new Set<string>();
  for (const [id, c] of candidates) {
    const share = fraud / Math.max(1, fraud + legit);
    if (lower ? share <= rate : share >= rate) break;
    dropped.add(id);
    fraud -= c.fraud.size;
    legit -= c.legit.size;
  }
  return rows.filter((row) => !dropped.has(row.customer_id));
}

/** FNV-1a of the text and the seed: a fixed, evenly spread order (of customers here, of label delays in
 * `label_simulation.ts`). */
export function hash(text: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}
