import type { Kv } from "./kv.ts";

/**
 * The same store seen through a prefix: every key and channel gets `namespace`, so installations
 * (and test databases) sharing one Redis never read each other's cache, counters or events.
 */
export function withNamespace(kv: Kv, namespace: string): Kv {
  const key = (name: string) => `${namespace}:${name}`;
  return {
    kind: kv.kind,
    get: (name) => kv.get(key(name)),
    set: (name, value, ttlMs) => kv.set(key(name), value, ttlMs),
    delete: (name) => kv.delete(key(name)),
    deleteByPrefix: (prefix) => kv.deleteByPrefix(key(prefix)),
    increment: (name) => kv.increment(key(name)),
    nextSequence: (name, atLeast) => kv.nextSequence(key(name), atLeast),
    publish: (channel, message) => kv.publish(key(channel), message),
    publishNumbered: (name, atLeast, channel, messages) =>
      kv.publishNumbered(key(name), atLeast, key(channel), messages),
    subscribe: (channel, listener) => kv.subscribe(key(channel), listener),
    hit: (name, limit, windowMs) => kv.hit(key(name), limit, windowMs),
    ping: () => kv.ping(),
    close: () => kv.close(),
  };
}
