/**
 * Group commit per key (a lane): up to `maxInFlight` writes of a key run at once; the requests for the
 * key that arrive while that many are in flight wait in its lane, and when one ends they are written
 * together as ONE batch (one statement, one commit), and so on until the lane is empty. An uncontended
 * key pays nothing extra: its request is written alone, at once. Under a flash sale a product's row lock
 * is taken once per batch instead of once per sale, which is what lets one hot row carry thousands of
 * sales a second.
 */
export class KeyedBatcher<I, O> {
  readonly #lanes = new Map<
    number,
    {
      running: number;
      waiting: { resolve(value: O | Promise<O>): void; reject(error: unknown): void; item: I }[];
    }
  >();

  /**
   * @param writeOne writes one item alone (the lane had room)
   * @param writeMany writes the queued items of a key together; returns one result per item, in order
   *   (a promise that rejects fails only its own item)
   * @param maxBatch most items in one batch
   * @param maxInFlight most writes of one key running at once
   */
  constructor(
    private readonly writeOne: (key: number, item: I) => Promise<O>,
    private readonly writeMany: (key: number, items: I[]) => Promise<(O | Promise<O>)[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 1,
  ) {}

  /** Writes `item` under `key`: alone when the key has room, else in the next batch. */
  submit(key: number, item: I): Promise<O> {
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, lane = { running: 0, waiting: [] });
    if (lane.running >= this.maxInFlight) {
      const waiting = lane.waiting;
      return new Promise((resolve, reject) => waiting.push({ item, resolve, reject }));
    }
    lane.running++;
    const alone = this.writeOne(key, item);
    alone.finally(() => this.#next(key)).catch(() => {});
    return alone;
  }

  /** A write of `key` ended: its room goes to the next batch, or the lane goes when nothing waits. */
  #next(key: number): void {
    const lane = this.#lanes.get(key)!;
    lane.running--;
    if (lane.waiting.length === 0) {
      if (lane.running === 0) this.#lanes.delete(key);
      return;
    }
    lane.running++;
    const batch = lane.waiting.splice(0, this.maxBatch);
    this.writeMany(key, batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, index) => entry.resolve(results[index])),
      (error) => batch.forEach((entry) => entry.reject(error)),
    ).finally(() => this.#next(key));
  }
}
