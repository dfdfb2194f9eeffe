/** Series with known answers shared by the model tests. Private to this folder. */

/** `days` days of the same value. */
export function constant(value: number, days: number): number[] {
  return new Array<number>(days).fill(value);
}

/** value = start + slope * t. */
export function linearTrend(start: number, slope: number, days: number): number[] {
  return Array.from({ length: days }, (_, t) => start + slope * t);
}

/** `pattern` repeated for `days` days. */
export function repeated(pattern: readonly number[], days: number): number[] {
  return Array.from({ length: days }, (_, t) => pattern[t % pattern.length]);
}

/** `size` units every `every` days, the first sale on day `offset`. */
export function intermittent(size: number, every: number, days: number, offset = 0): number[] {
  return Array.from({ length: days }, (_, t) => ((t - offset) % every === 0 && t >= offset ? size : 0));
}

/** Deterministic Poisson draws with a weekly rate pattern (mulberry32 + inversion). */
export function poissonSeries(rates: readonly number[], days: number, seed: number): number[] {
  let state = seed >>> 0;
  function uniform(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return Array.from({ length: days }, (_, t) => {
    const rate = rates[t % rates.length];
    let k = 0;
    let p = Math.exp(-rate);
    let cumulative = p;
    const u = uniform();
    while (u > cumulative && k < 500) {
      k++;
      p *= rate / k;
      cumulative += p;
    }
    return k;
  });
}

/** Asserts `actual` is within `tolerance` of `expected`, element by element. */
export function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  if (actual.length !== expected.length) {
    throw new Error(`Expected ${expected.length} values, got ${actual.length}`);
  }
  actual.forEach((value, i) => {
    if (!(Math.abs(value - expected[i]) <= tolerance)) {
      throw new Error(`Value ${i}: expected ${expected[i]} ± ${tolerance}, got ${value}`);
    }
  });
}
