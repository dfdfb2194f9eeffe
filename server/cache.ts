import { SharedFlights } from "./shared/shared_flights.ts";
import superjson from "superjson";
import type { AppEventType, EventBus } from "./events/bus.ts";
import type { Kv } from "./kv/mod.ts";
import type { Logger } from "./log.ts";
import { outageLog } from "./shared/repeat_limit.ts";

/** Cache namespaces; an event bumps a namespace's version, which retires all its keys at once. */
export const cacheNamespaces = [
  "dashboard",
  "analytics",
  "inventory",
  "products",
  "alerts",
  "transactions",
] as const;
export type CacheNamespace = typeof cacheNamespaces[number];

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
  // each instance drops its cached callers and closes the affected sockets (server/auth/caller_cache.ts)
  "access.revoked": [],
  "fraud.lists_changed": [],
  // each instance drops its cached cold-start operating point (server/fraud/model/operating_point_queries.ts)
  "fraud.settings_changed": [],
  // open Policies, Contact points, Silences and Subscriptions tabs re-read themselves (live.onChange);
  // each instance drops its copy of the policies and silences (server/notifications/routing_cache.ts)
  "notifications.changed": [],
  // the calendar is read uncached; open Inventory pages redraw their Promotions and closures panel
  "calendar.changed": [],
};

export interface CacheResult<T> {
  value: T;
  hit: boolean;
  /** the stored entry the value came from (absent when the store was unreachable) */
  entry?: CacheEntry<T>;
}

/**
 * One cached value as this instance holds it: parsed once, with the ETag of its serialized form and,
 * once the REST edge has sent it, the response bytes (so a hit is not serialized again).
 */
export interface CacheEntry<T> {
  value: T;
  /** a strong validator: the hash of the serialized value, the same on every instance */
  etag: string;
  /** when the entry expires (ms since epoch), as written with it */
  expiresAt: number;
  /** the REST body of this value, filled by the edge on first use */
  restBody?: Uint8Array<ArrayBuffer>;
  /** where it is kept (the key without the namespace's version), so the edge can find its successor */
  namespace: CacheNamespace;
  key: string;
}

function versionKey(namespace: CacheNamespace): string {
  return `techmart:cache:version:${namespace}`;
}

/**
 * `cachedRead` for a procedure: returns the value and records hit or miss, and the entry (its ETag and
 * bytes), in `responseMeta`, which the REST layer turns into `X-Cache`, `ETag` and 304s.
 */
export async function cachedResponse<T>(
  // the cache part of trpc/context.ts ResponseMeta, named here so the two modules do not import each other
  ctx: { kv: Kv; log: Logger; responseMeta: { cache?: "hit" | "miss"; cacheEntry?: CacheEntry<unknown> } },
  options: { namespace: CacheNamespace; key: string; ttlMs: number },
  load: () => Promise<T>,
): Promise<T> {
  const result = await cachedRead(ctx, options, load);
  ctx.responseMeta.cache = result.hit ? "hit" : "miss";
  ctx.responseMeta.cacheEntry = result.entry;
  return result.value;
}

/**
 * Reads `key` in `namespace` from the cache, or loads and stores it for `ttlMs`. Entries are stored
 * serialized (superjson) with their ETag and expiry; each instance keeps the parsed entry of a key it
 * has read, so a hit costs one read of the namespace's version. The cache is an optimisation: when
 * the store is unreachable the value is loaded directly.
 */
export async function cachedRead<T>(
  deps: { kv: Kv; log: Logger },
  options: { namespace: CacheNamespace; key: string; ttlMs: number },
  load: () => Promise<T>,
): Promise<CacheResult<T>> {
  let fullKey: string;
  const parsed = parsedEntries(deps.kv);
  try {
    // A hit whose namespace version this instance trusts costs no round trip to the store
    const held = heldEntry(deps.kv, options.namespace, options.key) as CacheEntry<T> | undefined;
    if (held) return { value: held.value, hit: true, entry: held };
    const version = await namespaceVersion(deps.kv, options.namespace);
    fullKey = `techmart:cache:${options.namespace}:${version}:${options.key}`;
    const kept = parsed.get(fullKey) as CacheEntry<T> | undefined;
    if (kept && kept.expiresAt > Date.now()) return { value: kept.value, hit: true, entry: kept };
  } catch (error) {
    return await loadDirectly(deps, options, load, error);
  }
  // Single flight: concurrent misses of one key on this instance share one read of the store and, when it
  // holds nothing fresh, one load. Under steady writes every event retires the dashboard's keys, and
  // without this each of hundreds of waiting requests ran the same queries at once (bench/load.ts: p99
  // 6.5 s at 1,000 users); and when another instance had stored the new entry, each of a hundred
  // requests read and parsed it from the store.
  const key = fullKey;
  return await (loadsOf(deps.kv) as SharedFlights<string, CacheResult<T>>).run(
    key,
    () => readOrLoad(deps, options, key, load),
  );
}

/** The entry the store holds for `key` when it is fresh, else the loaded value, stored for every instance. */
async function readOrLoad<T>(
  deps: { kv: Kv; log: Logger },
  options: { namespace: CacheNamespace; key: string; ttlMs: number },
  key: string,
  load: () => Promise<T>,
): Promise<CacheResult<T>> {
  const parsed = parsedEntries(deps.kv);
  try {
    const stored = await deps.kv.get(key);
    const entry = stored === null ? undefined : parseEntry<T>(stored, options);
    if (entry && entry.expiresAt > Date.now()) {
      holdEntry(parsed, key, entry);
      return { value: entry.value, hit: true, entry };
    }
  } catch (error) {
    return await loadDirectly(deps, options, load, error);
  }
  const value = await load();
  const text = superjson.stringify(value);
  const entry: CacheEntry<T> = {
    value,
    etag: await etagOf(text),
    expiresAt: Date.now() + options.ttlMs,
    namespace: options.namespace,
    key: options.key,
  };
  await deps.kv.set(key, `${entry.etag}\n${entry.expiresAt}\n${text}`, options.ttlMs).catch((error) =>
    deps.log.warn("cache write failed", { namespace: options.namespace, error })
  );
  holdEntry(parsed, key, entry);
  return { value, hit: false, entry };
}

/** The store did not answer: the value is loaded and not kept, and nothing held is trusted until it does. */
async function loadDirectly<T>(
  deps: { kv: Kv; log: Logger },
  options: { namespace: CacheNamespace },
  load: () => Promise<T>,
  error: unknown,
): Promise<CacheResult<T>> {
  deps.log.warn("cache read failed; loading directly", { namespace: options.namespace, error });
  forgetVersions(deps.kv);
  return { value: await load(), hit: false };
}

/** `etag \n expiresAt \n superjson`; anything else (an entry of an older version) is a miss. */
function parseEntry<T>(
  stored: string,
  where: { namespace: CacheNamespace; key: string },
): CacheEntry<T> | undefined {
  const first = stored.indexOf("\n");
  const second = stored.indexOf("\n", first + 1);
  if (first < 0 || second < 0 || !stored.startsWith('"')) return undefined;
  const expiresAt = Number(stored.slice(first + 1, second));
  if (!Number.isFinite(expiresAt)) return undefined;
  return {
    etag: stored.slice(0, first),
    expiresAt,
    value: superjson.parse<T>(stored.slice(second + 1)),
    namespace: where.namespace,
    key: where.key,
  };
}

async function etagOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest).subarray(0, 12), (b) => b.toString(16).padStart(2, "0"));
  return `"${hex.join("")}"`;
}

/** Parsed entries kept per instance; keys carry the namespace version, so an invalidation is a new key. */
const maxHeldEntries = 500;

function holdEntry(held: Map<string, CacheEntry<unknown>>, key: string, entry: CacheEntry<unknown>): void {
  held.delete(key);
  held.set(key, entry);
  if (held.size <= maxHeldEntries) return;
  const now = Date.now();
  for (const [k, e] of held) if (e.expiresAt <= now) held.delete(k);
  // still full: drop the oldest (a Map iterates in insertion order)
  for (const k of held.keys()) {
    if (held.size <= maxHeldEntries * 0.8) break;
    held.delete(k);
  }
}

const loadsByKv = new WeakMap<Kv, SharedFlights<string, CacheResult<unknown>>>();
const heldByKv = new WeakMap<Kv, Map<string, CacheEntry<unknown>>>();

function loadsOf(kv: Kv): SharedFlights<string, CacheResult<unknown>> {
  let loads = loadsByKv.get(kv);
  if (!loads) loadsByKv.set(kv, loads = new SharedFlights());
  return loads;
}
function parsedEntries(kv: Kv): Map<string, CacheEntry<unknown>> {
  let held = heldByKv.get(kv);
  if (!held) heldByKv.set(kv, held = new Map());
  return held;
}

/**
 * Retires every cached value in the namespaces: at once on this instance (its trusted versions are
 * dropped before anything else runs), and in the store for every instance.
 */
export async function invalidate(kv: Kv, namespaces: CacheNamespace[]): Promise<void> {
  const versions = versionsOf(kv);
  await Promise.all(namespaces.map((namespace) => {
    versions.epoch.set(namespace, (versions.epoch.get(namespace) ?? 0) + 1);
    versions.trusted.delete(namespace);
    // Invalidations of one namespace in the same turn share one increment, sent after all of them (so
    // it still follows every change they announce): under a stream of sales, the events of one
    // pub/sub read arrive together, and each used to bump the same five versions
    let increment = versions.queued.get(namespace);
    if (!increment) {
      increment = new Promise<void>((resolve, reject) =>
        queueMicrotask(() => {
          versions.queued.delete(namespace);
          kv.increment(versionKey(namespace)).then(() => resolve(), reject);
        })
      );
      versions.queued.set(namespace, increment);
      // a read of this namespace waits for the new version, or it could read the old one again
      versions.increments.set(namespace, increment.catch(() => {}));
    }
    return increment;
  }));
}

/**
 * How long this instance answers hits from a namespace version it read, without asking the store
 * again. Invalidations seen here (events from every instance arrive on the bus) drop it at once; this
 * bounds how long a change nobody announced (another instance's `invalidate()` without an event, a
 * lost pub/sub message) can go unseen.
 */
export const versionTrustMs = 1_000;

interface NamespaceVersions {
  trusted: Map<CacheNamespace, { version: string; until: number }>;
  /** bumped by every local invalidation: a version read that started before one is not trusted */
  epoch: Map<CacheNamespace, number>;
  /** this instance's increments in flight */
  increments: Map<CacheNamespace, Promise<void>>;
  /** increments not sent yet (until the end of this turn) */
  queued: Map<CacheNamespace, Promise<void>>;
  /** version reads in flight, shared by the callers of the same epoch */
  reads: SharedFlights<CacheNamespace, string>;
}

const versionsByKv = new WeakMap<Kv, NamespaceVersions>();

function versionsOf(kv: Kv): NamespaceVersions {
  let versions = versionsByKv.get(kv);
  if (!versions) {
    versionsByKv.set(
      kv,
      versions = {
        trusted: new Map(),
        epoch: new Map(),
        increments: new Map(),
        queued: new Map(),
        reads: new SharedFlights(),
      },
    );
  }
  return versions;
}

function forgetVersions(kv: Kv): void {
  const versions = versionsOf(kv);
  for (const namespace of versions.trusted.keys()) {
    versions.epoch.set(namespace, (versions.epoch.get(namespace) ?? 0) + 1);
  }
  versions.trusted.clear();
}

/**
 * The namespace's current version in the store, remembered for `versionTrustMs`. Concurrent callers share
 * one read, unless an invalidation on this instance came between its start and their call: the read
 * would not see it.
 */
async function namespaceVersion(kv: Kv, namespace: CacheNamespace): Promise<string> {
  const versions = versionsOf(kv);
  const pending = versions.increments.get(namespace);
  if (pending) await pending;
  const epoch = versions.epoch.get(namespace) ?? 0;
  return await versions.reads.run(namespace, async () => {
    const version = (await kv.get(versionKey(namespace))) ?? "0";
    if ((versions.epoch.get(namespace) ?? 0) === epoch) {
      versions.trusted.set(namespace, { version, until: Date.now() + versionTrustMs });
      if (versions.increments.get(namespace) === pending) versions.increments.delete(namespace);
    }
    return version;
  }, epoch);
}

/**
 * How long before its trust ends a namespace version in use is read again, in the background. Without
 * it, under steady reads every hit of the namespace went down the full request chain each second, each
 * with its own read of the version, until one came back: a cached overview @100 connections had its p99
 * there (19.5 ms for a median under 4).
 */
const refreshAheadMs = versionTrustMs / 4;

/**
 * The fresh entry this instance holds for `key` under the namespace version it trusts, without waiting on
 * any I/O (undefined when it would have to ask the store): what a hit is answered from. In the last
 * `refreshAheadMs` of the version's trust it starts one read of the version in the background, so a
 * namespace in use stays trusted while the store keeps answering.
 */
export function heldEntry(kv: Kv, namespace: CacheNamespace, key: string): CacheEntry<unknown> | undefined {
  const trusted = versionsOf(kv).trusted.get(namespace);
  const now = Date.now();
  if (!trusted || trusted.until <= now) return undefined;
  // a failed read leaves the trust to run out: the next hit goes down the chain, which reports it
  if (trusted.until - now < refreshAheadMs) namespaceVersion(kv, namespace).catch(() => {});
  const entry = parsedEntries(kv).get(`techmart:cache:${namespace}:${trusted.version}:${key}`);
  return entry && entry.expiresAt > now ? entry : undefined;
}

/** Keeps the cache fresh: every event on the bus (from any instance) bumps the namespaces it affects. */
export function invalidateOnEvents(deps: { kv: Kv; bus: EventBus; log: Logger }): () => void {
  // every sale fails this while Redis is away: one line per window, not one per sale, and one at its end
  const outage = outageLog(deps.log, {
    failing: "cache invalidation failed",
    back: "cache invalidation works again",
    counted: "invalidationsFailed",
  });
  return deps.bus.subscribe((event) => {
    const namespaces = invalidatedBy[event.type] ?? [];
    if (namespaces.length === 0) return;
    invalidate(deps.kv, namespaces).then(
      () => outage.worked(),
      (error) => outage.failed(1, () => ({ type: event.type, error })),
    );
  });
}
