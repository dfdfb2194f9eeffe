import { SharedFlights } from "../shared/shared_flights.ts";
import type { Services } from "../services.ts";
import type { Caller } from "../trpc/roles.ts";

/**
 * How long a session or token lookup is trusted without asking the database again. Revocations do
 * not wait for it: `access.revoked` empties the cache on every instance at once.
 */
export const callerCacheMs = 5_000;
// Bounds the memory a flood of distinct made-up tokens can take
const maxEntries = 10_000;

/**
 * How long before its end an entry in use is looked up again, in the background. Without it, each time a
 * busy token's entry ran out every request in flight looked the token up itself (a hundred identical
 * queries at once, every 5 s, in a cached-overview run @100 connections).
 */
const refreshAheadMs = 1_000;

interface CallerCache {
  entries: Map<string, { caller: Caller | null; until: number }>;
  /** lookups in flight, shared by the callers of the same generation */
  pending: SharedFlights<string, Caller | null>;
  /** bumped by every revocation: a lookup that started before one must not store its answer */
  generation: number;
}

const caches = new WeakMap<Services, CallerCache>();

function cacheOf(services: Services): CallerCache {
  let cache = caches.get(services);
  if (!cache) {
    const created: CallerCache = { entries: new Map(), pending: new SharedFlights(), generation: 0 };
    services.bus.subscribe((event) => {
      // Revocations are rare: forgetting everything is simpler than finding the affected entries
      if (event.type === "access.revoked") forgetCachedCallers(services);
    });
    caches.set(services, created);
    cache = created;
  }
  return cache;
}

/**
 * The caller behind a credential (`key` names it, e.g. the hash of a token), from this instance's
 * short cache or from `lookUp` (the database). Unknown credentials are remembered too, so a flood of
 * bad tokens costs one query each per `callerCacheMs`.
 */
export async function cachedCaller(
  services: Services,
  key: string,
  lookUp: () => Promise<Caller | null>,
): Promise<Caller | null> {
  const held = heldCaller(services, key, lookUp);
  return held !== undefined ? held : await lookUpShared(cacheOf(services), key, lookUp);
}

/**
 * The caller this instance holds for `key` now, without a promise (undefined: none held, ask
 * `cachedCaller`); an entry near its end is looked up again in the background.
 */
export function heldCaller(
  services: Services,
  key: string,
  lookUp: () => Promise<Caller | null>,
): Caller | null | undefined {
  const cache = cacheOf(services);
  const now = Date.now();
  const hit = cache.entries.get(key);
  if (!hit || hit.until <= now) return undefined;
  // a failed lookup leaves the entry to run out: the next request looks it up and reports the error
  if (hit.until - now < refreshAheadMs) lookUpShared(cache, key, lookUp).catch(() => {});
  return hit.caller;
}

/**
 * One lookup of `key` at a time, whose answer is kept unless a revocation came while it ran; a caller
 * after a revocation never joins a lookup that started before it.
 */
function lookUpShared(
  cache: CallerCache,
  key: string,
  lookUp: () => Promise<Caller | null>,
): Promise<Caller | null> {
  const generation = cache.generation;
  return cache.pending.run(key, async () => {
    const caller = await lookUp();
    if (cache.generation === generation) {
      if (cache.entries.size >= maxEntries) cache.entries.clear();
      cache.entries.set(key, { caller, until: Date.now() + callerCacheMs });
    }
    return caller;
  }, generation);
}

/**
 * Empties this instance's cache, as an `access.revoked` does: for changes made behind the app's
 * back (straight in the database), which it would otherwise notice within `callerCacheMs`.
 */
export function forgetCachedCallers(services: Services): void {
  const cache = caches.get(services);
  if (!cache) return;
  cache.entries.clear();
  cache.generation++;
}
