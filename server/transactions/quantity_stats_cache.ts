import type { QuantityStats } from "../fraud/mod.ts";

/**
 * Each product's usual order quantity (a fraud feature read from its last few hundred order lines),
 * kept per instance for a few seconds. Reading it is the costliest part of scoring a sale (hundreds of
 * index probes), and in a flash sale every request asks about the same product; a usual quantity that
 * is seconds old is as good as a fresh one. Products without stats (no completed lines) are kept too.
 */
export class QuantityStatsCache {
  readonly #entries = new Map<number, { stats: QuantityStats | undefined; until: number }>();

  constructor(private readonly ttlMs = 5_000, private readonly maxEntries = 5_000) {}

  /** The stats known for `productIds`, and the ids still to load. */
  split(productIds: number[]): { known: Record<string, QuantityStats>; missing: number[] } {
    const now = Date.now();
    const known: Record<string, QuantityStats> = {};
    const missing: number[] = [];
    for (const id of productIds) {
      const entry = this.#entries.get(id);
      if (!entry || entry.until <= now) missing.push(id);
      else if (entry.stats) known[String(id)] = entry.stats;
    }
    return { known, missing };
  }

  /** Keeps what was loaded for `productIds` (an id absent from `stats` has none). */
  remember(productIds: number[], stats: Readonly<Record<string, QuantityStats>>): void {
    if (this.#entries.size + productIds.length > this.maxEntries) this.#entries.clear();
    const until = Date.now() + this.ttlMs;
    for (const id of productIds) this.#entries.set(id, { stats: stats[String(id)], until });
  }
}
