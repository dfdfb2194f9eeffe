/**
 * A value kept per owner (a database pool: tests open many) for a while, loaded at most once at a time.
 *
 * The sale path reads slow-changing things through caches (the active model here; the category norms and
 * the shop's amount quantiles per 10-minute slot, `fraud/model/entity_queries.ts`). They used to keep only
 * the loaded value, so every request that missed while the first load ran started its own: the first wave
 * of 64 concurrent sales on a fresh instance ran 64 copies of each query (a 90-day aggregate among them)
 * and waited ~700 ms instead of ~120 ms, and the same stampede came back each time an entry expired under
 * load. Here the entry holds the load's promise from the moment it starts, so concurrent misses share one
 * load.
 */
export interface TimedLoadCache<Owner extends object, V> {
  /** The value loaded at or before `now` and younger than the TTL, else a new load (shared while it runs). */
  get(owner: Owner, now?: Date): Promise<V>;
  /** Drops the owner's value (a change this instance made or heard of); the next `get` loads again. */
  forget(owner: Owner): void;
}

/**
 * @param ttlMs how long a loaded value serves later moments
 * @param options.earlierMs how much earlier a moment than the entry's it still serves (0: a replay going back
 *   loads for its own moment). A value that does not depend on the moment (one that only changes when an
 *   event drops it) sets it: under load a request whose clock was read a few milliseconds before the entry's
 *   would otherwise start a load of its own, and each such request another.
 */
export function timedLoadCache<Owner extends object, V>(
  ttlMs: number,
  load: (owner: Owner, now: Date) => Promise<V>,
  options: { earlierMs?: number } = {},
): TimedLoadCache<Owner, V> {
  const earlierMs = options.earlierMs ?? 0;
  const entries = new WeakMap<Owner, { at: number; value: Promise<V> }>();
  return {
    get(owner, now = new Date()) {
      const at = now.getTime();
      const entry = entries.get(owner);
      if (entry && at - entry.at >= -earlierMs && at - entry.at < ttlMs) return entry.value;
      const value = load(owner, now);
      const created = { at, value };
      entries.set(owner, created);
      // a failed load must not stick for the whole TTL
      value.catch(() => {
        if (entries.get(owner) === created) entries.delete(owner);
      });
      return value;
    },
    forget(owner) {
      entries.delete(owner);
    },
  };
}
