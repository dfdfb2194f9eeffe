/**
 * The seedable PRNG every data generator shares, so the same seed gives the same data.
 * @module
 */

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded random helpers over mulberry32: the generators must not depend on Math.random. */
export function createRandom(seed: number) {
  const next = mulberry32(seed);
  function between(min: number, max: number): number {
    return min + next() * (max - min);
  }
  function int(min: number, max: number): number {
    return Math.floor(between(min, max + 1));
  }
  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(next() * items.length)];
  }
  function weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }
  function normal(): number {
    return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return { next, between, int, pick, weighted, normal };
}
