/**
 * Group commit per key (a product): while one write for a key is in flight, the requests for the same
 * key that arrive wait in its lane, and when it ends they are written together as ONE batch (one lock,
 * one commit), then the next batch, until the lane is empty. An uncontended key pays nothing extra: its
 * request is written alone, at once. Under a flash sale the product's row lock is taken once per
 * batch instead of once per sale, which is what lets one hot row carry thousands of sales a second.
 */
export class KeyedBatcher<I, O> {
  readonly #lanes = new Map<
    number,
    { resolve(value: O | Promise<O>): void; reject(error: unknown): void; item: I }[]
  >();

  /**
   * @param writeOne writes one item alone (the lane was idle)
   * @param writeMany writes the queued items of a key together; returns one result per item, in order
   *   (a promise that rejects fails only its own item)
   * @param maxBatch most items in one batch
   */
  constructor(
    private readonly writeOne: (key: number, item: I) => Promise<O>,
    private readonly writeMany: (key: number, items: I[]) => Promise<(O | Promise<O>)[]>,
    private readonly maxBatch = 256,
  ) {}

  /** Writes `item` under `key`: alone when nothing of that key is in flight, else in the next batch. */
  submit(key: number, item: I): Promise<O> {
    const waiting = this.#lanes.get(key);
    if (waiting) return new Promise((resolve, reject) => waiting.push({ item, resolve, reject }));
    this.#lanes.set(key, []);
    const alone = this.writeOne(key, item);
    alone.finally(() => this.#drain(key)).catch(() => {});
    return alone;
  }

  async #drain(key: number): Promise<void> {
    const lane = this.#lanes.get(key)!;
    while (lane.length > 0) {
      const batch = lane.splice(0, this.maxBatch);
      try {
        const results = await this.writeMany(key, batch.map((entry) => entry.item));
        batch.forEach((entry, index) => entry.resolve(results[index]));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#lanes.delete(key);
  }
}
