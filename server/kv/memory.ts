import type { Kv, RateLimitResult } from "./kv.ts";

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process Kv for a single instance without Redis: a TTL map, an EventTarget bus, window counters. */
export function createMemoryKv(now: () => number = Date.now): Kv {
  const entries = new Map<string, Entry>();
  const bus = new EventTarget();
  // Expired entries are dropped lazily on read and by this sweep, so the map cannot grow without bound
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key);
  }, 30_000);
  Deno.unrefTimer(sweep);

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    kind: "memory",
    get: (key) => Promise.resolve(live(key)?.value ?? null),
    set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    deleteByPrefix(prefix) {
      let deleted = 0;
      for (const key of entries.keys()) {
        if (key.startsWith(prefix)) {
          entries.delete(key);
          deleted++;
        }
      }
      return Promise.resolve(deleted);
    },
    increment(key) {
      const entry = live(key);
      const value = Number(entry?.value ?? 0) + 1;
      entries.set(key, { value: String(value), expiresAt: entry?.expiresAt ?? Infinity });
      return Promise.resolve(value);
    },
    nextSequence(key, atLeast) {
      const value = Math.max(Number(live(key)?.value ?? 0) + 1, atLeast);
      entries.set(key, { value: String(value), expiresAt: Infinity });
      return Promise.resolve(value);
    },
    publishNumbered(key, atLeast, channel, messages) {
      let value = Number(live(key)?.value ?? 0);
      const numbers = messages.map(({ head, tail }, index) => {
        value = Math.max(value + 1, index === 0 ? atLeast : 0);
        const message = `${head}${value}${tail}`;
        queueMicrotask(() => bus.dispatchEvent(new MessageEvent(channel, { data: message })));
        return value;
      });
      entries.set(key, { value: String(value), expiresAt: Infinity });
      return Promise.resolve(numbers);
    },
    publish(channel, message) {
      // Deliver asynchronously, as Redis does, so a publisher never runs subscriber code inline
      queueMicrotask(() => bus.dispatchEvent(new MessageEvent(channel, { data: message })));
      return Promise.resolve();
    },
    subscribe(channel, listener) {
      const handler = (event: Event) => listener((event as MessageEvent<string>).data);
      bus.addEventListener(channel, handler);
      return Promise.resolve(() => {
        bus.removeEventListener(channel, handler);
        return Promise.resolve();
      });
    },
    hit(key, limit, windowMs): Promise<RateLimitResult> {
      const time = now();
      const windowStart = Math.floor(time / windowMs) * windowMs;
      const bucketKey = `${key}:${windowStart}`;
      const entry = live(bucketKey);
      const count = Number(entry?.value ?? 0) + 1;
      entries.set(bucketKey, { value: String(count), expiresAt: windowStart + windowMs });
      const allowed = count <= limit;
      return Promise.resolve({
        allowed,
        count,
        remaining: Math.max(0, limit - count),
        retryAfterMs: allowed ? 0 : windowStart + windowMs - time,
      });
    },
    ping: () => Promise.resolve(0),
    close() {
      clearInterval(sweep);
      entries.clear();
      return Promise.resolve();
    },
  };
}
