/**
 * Missing demand: days the product could not sell (out of stock, shop closed) say nothing about
 * demand, so they are neither zero sales nor errors. Pure.
 * @module
 */

/** Weeks looked back for the same weekday when filling a missing day. */
const LOOKBACK_CYCLES = 4;

/**
 * `history` with missing days as NaN: the stock-out mask (true = out of stock all day) and any
 * non-finite value mark a day missing; negative values count as 0 sales.
 */
export function markMissing(history: readonly number[], missing?: readonly boolean[]): number[] {
  return history.map((value, t) => {
    if (missing?.[t] || !Number.isFinite(value)) return Number.NaN;
    return value > 0 ? value : 0;
  });
}

/**
 * Fills missing (NaN) days so models that need a complete series can fit, using only days before
 * each gap: the mean of the same weekday over the last four observed weeks, else the mean of the
 * last four weeks' observed days, else 0. Looking only backwards keeps a backtest honest: the fill
 * at day t never depends on days after t.
 */
export function fillMissing(observed: readonly number[], seasonLength: number): number[] {
  const filled = [...observed];
  const window = Math.max(1, LOOKBACK_CYCLES * seasonLength);
  for (let t = 0; t < filled.length; t++) {
    if (!Number.isNaN(filled[t])) continue;
    let sum = 0;
    let count = 0;
    for (let k = 1; k <= LOOKBACK_CYCLES && t - k * seasonLength >= 0; k++) {
      const value = observed[t - k * seasonLength];
      if (!Number.isNaN(value)) {
        sum += value;
        count++;
      }
    }
    if (count === 0) {
      for (let s = Math.max(0, t - window); s < t; s++) {
        if (!Number.isNaN(observed[s])) {
          sum += observed[s];
          count++;
        }
      }
    }
    filled[t] = count > 0 ? sum / count : 0;
  }
  return filled;
}

/** How many days are missing (NaN). */
export function countMissing(observed: readonly number[]): number {
  let count = 0;
  for (const value of observed) if (Number.isNaN(value)) count++;
  return count;
}
