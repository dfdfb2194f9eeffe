/** A key's writes running and the requests waiting for the next batch. */
interface Lane<I, O> {
  running: number;
  waiting: { resolve(value: O | Promise<O>): void; reject(error: unknown): void; item: I }[];
}

/**
 * Group commit per key (a lane). An idle key's request is written alone, at once: an uncontended key pays
 * nothing extra. The requests that arrive while a key is being written wait in its lane and are written
 * together as ONE batch (one statement, one commit) when a write ends, and so on until the lane is empty.
 * Under a flash sale a product's row lock is taken once per batch instead of once per sale, which is what
 * lets one hot row carry thousands of sales a second. A further batch starts beside the running ones (up to
 * `maxInFlight`) only once `parallelFrom` requests wait: a lane with room wrote the next request alone at
 * once, which made every other write a statement and a commit for one request (docs/performance.md "Session
 * 14").
 */
export class KeyedBatcher<I, O> {
  readonly #lanes = new Map<number, Lane<I, O>>();

  /**
   * @param writeOne writes one item alone (the lane was idle)
   * @param writeMany writes the queued items of a key together; returns one result per item, in order
   *   (a promise that rejects fails only its own item)
   * @param maxBatch most items in one batch
   * @param maxInFlight most writes of one key running at once
   * @param parallelFrom how many waiting requests start a batch beside a running write (with room)
   */
  constructor(
    private readonly writeOne: (key: number, item: I) => Promise<O>,
    private readonly writeMany: (key: number, items: I[]) => Promise<(O | Promise<O>)[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 1,
    private readonly parallelFrom = 1,
  ) {}

  /** Writes `item` under `key`: alone when the key is idle, else in a batch. */
  submit(key: number, item: I): Promise<O> {
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, lane = { running: 0, waiting: [] });
    if (lane.running === 0) {
      lane.running++;
      const alone = this.writeOne(key, item);
      alone.finally(() => this.#next(key)).catch(() => {});
      return alone;
    }
    const waiting = lane.waiting;
    const queued = new Promise<O>((resolve, reject) => waiting.push({ item, resolve, reject }));
    if (lane.running < this.maxInFlight && waiting.length >= this.parallelFrom) this.#startBatch(key, lane);
    return queued;
  }

  /** A write of `key` ended: its room goes to the next batch, or the lane goes when nothing waits. */
  #next(key: number): void {
    const lane = this.#lanes.get(key)!;
    lane.running--;
    if (lane.waiting.length === 0) {
      if (lane.running === 0) this.#lanes.delete(key);
      return;
    }
    this.#startBatch(key, lane);
  }

  /** Writes the lane's waiting requests (up to `maxBatch`) as one batch. */
  #startBatch(key: number, lane: Lane<I, O>): void {
    lane.running++;
    const batch = lane.waiting.splice(0, this.maxBatch);
    this.writeMany(key, batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, index) => entry.resolve(results[index])),
      (error) => batch.forEach((entry) => entry.reject(error)),
    ).finally(() => this.#next(key));
  }
}
