import superjson from "superjson";
import type { AppEventType, EventBus } from "./events/bus.ts";
import type { Kv } from "./kv/mod.ts";
import type { Logger } from "./log.ts";
import type { ResponseMeta } from "./trpc/context.ts";

/** Cache namespaces; an event bumps a namespace's version, which retires all its keys at once. */
export type CacheNamespace = "dashboard" | "analytics" | "inventory" | "products" | "alerts" | "transactions";

/** Which namespaces each event makes stale. */
export const invalidatedBy: Record<AppEventType, CacheNamespace[]> = {
  "transaction.created": ["dashboard", "analytics", "inventory", "products", "transactions"],
  "transaction.updated": ["dashboard", "analytics", "inventory", "products", "transactions"],
  "stock.changed": ["dashboard", "inventory", "products"],
  "alert.raised": ["dashboard", "alerts"],
  "alert.changed": ["dashboard", "alerts"],
  "suggestion.changed": ["inventory"],
  "views.refreshed": ["dashboard", "analytics"],
  "job.run": [],
  "product.changed": ["products", "inventory", "analytics"],
  // each instance drops its in-process copy of the active rules (server/fraud/active_rules.ts)
  "fraud.rules_changed": [],
};

export interface CacheResult<T> {
  value: T;
  hit: boolean;
}

function versionKey(namespace: CacheNamespace): string {
  return `techmart:cache:version:${namespace}`;
}

/**
 * `cachedRead` for a procedure: returns the value and records hit or miss in `responseMeta`,
 * which the REST layer turns into the `X-Cache` header.
 */
export async function cachedResponse<T>(
  ctx: { kv: Kv; log: Logger; responseMeta: ResponseMeta },
  options: { namespace: CacheNamespace; key: string; ttlMs: number },
  load: () => Promise<T>,
): Promise<T> {
  const result = await cachedRead(ctx, options, load);
  ctx.responseMeta.cache = result.hit ? "hit" : "miss";
  return result.value;
}

/**
 * Reads `key` in `namespace` from the cache, or loads and stores it for `ttlMs`. The cache is an
 * optimisation: when the store is unreachable the value is loaded directly.
 */
export async function cachedRead<T>(
  deps: { kv: Kv; log: Logger },
  options: { namespace: CacheNamespace; key: string; ttlMs: number },
  load: () => Promise<T>,
): Promise<CacheResult<T>> {
  let fullKey: string | undefined;
  try {
    const version = (await deps.kv.get(versionKey(options.namespace))) ?? "0";
    fullKey = `techmart:cache:${options.namespace}:${version}:${options.key}`;
    const cached = await deps.kv.get(fullKey);
    if (cached !== null) return { value: superjson.parse<T>(cached), hit: true };
  } catch (error) {
    deps.log.warn("cache read failed; loading directly", { namespace: options.namespace, error });
    fullKey = undefined;
  }
  if (!fullKey) return { value: await load(), hit: false };
  // Single flight: concurrent misses of one key on this instance share one load. Under steady
  // writes every event retires the dashboard's keys, and without this each of hundreds of waiting
  // requests ran the same queries at once (bench/load.ts: p99 6.5 s at 1,000 users)
  const key = fullKey;
  const loads = pendingLoads(deps.kv);
  const pending = loads.get(key) as Promise<T> | undefined;
  if (pending) return { value: await pending, hit: false };
  const loading = (async () => {
    const value = await load();
    await deps.kv.set(key, superjson.stringify(value), options.ttlMs).catch((error) =>
      deps.log.warn("cache write failed", { namespace: options.namespace, error })
    );
    return value;
  })();
  loads.set(key, loading);
  try {
    return { value: await loading, hit: false };
  } finally {
    if (loads.get(key) === loading) loads.delete(key);
  }
}

const pendingByKv = new WeakMap<Kv, Map<string, Promise<unknown>>>();

function pendingLoads(kv: Kv): Map<string, Promise<unknown>> {
  let loads = pendingByKv.get(kv);
  if (!loads) pendingByKv.set(kv, loads = new Map());
  return loads;
}

/** Retires every cached value in the namespaces. */
export async function invalidate(kv: Kv, namespaces: CacheNamespace[]): Promise<void> {
  await Promise.all(namespaces.map((namespace) => kv.increment(versionKey(namespace))));
}

/** Keeps the cache fresh: every event on the bus (from any instance) bumps the namespaces it affects. */
export function invalidateOnEvents(deps: { kv: Kv; bus: EventBus; log: Logger }): () => void {
  return deps.bus.subscribe((event) => {
    const namespaces = invalidatedBy[event.type] ?? [];
    if (namespaces.length === 0) return;
    invalidate(deps.kv, namespaces).catch((error) =>
      deps.log.warn("cache invalidation failed", { type: event.type, error })
    );
  });
}
