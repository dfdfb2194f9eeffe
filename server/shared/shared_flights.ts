/**
 * Concurrent callers of one key share one run of its work (a lookup, a read, a load): the caches on the
 * request path use it so a miss under load is one query, not one per request waiting. A run belongs to a
 * generation: a caller of a later one (after an invalidation or a revocation that run could not see)
 * starts its own instead of joining it. A run is forgotten once it settles, whatever its outcome.
 */
export class SharedFlights<K, V> {
  readonly #running = new Map<K, { generation: number; value: Promise<V> }>();

  /** The running work of `key` in `generation`, or `start()`'s, shared with the callers that follow. */
  run(key: K, start: () => Promise<V>, generation = 0): Promise<V> {
    const running = this.#running.get(key);
    if (running && running.generation === generation) return running.value;
    const entry = { generation, value: start() };
    this.#running.set(key, entry);
    entry.value.finally(() => {
      if (this.#running.get(key) === entry) this.#running.delete(key);
    }).catch(() => {});
    return entry.value;
  }
}
