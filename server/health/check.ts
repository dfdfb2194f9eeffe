import type { Services } from "../services.ts";
import { schemaVersion } from "../db/migrate.ts";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: { ok: boolean; kind: "embedded" | "postgres"; roundTripMs?: number; error?: string };
  cache: { ok: boolean; kind: "redis" | "memory"; roundTripMs?: number; error?: string };
  migrationVersion: number | null;
  uptimeSeconds: number;
  version: string;
}

const timeoutMs = 2_000;
/** How long one check's answer serves: probes (and anyone else) cannot make it query on each call. */
export const healthCacheMs = 1_000;

const recent = new WeakMap<Services, { until: number; report: Promise<HealthReport> }>();

/** `checkHealth`, answered from the last check while it is under `healthCacheMs` old. */
export function cachedHealth(services: Services): Promise<HealthReport> {
  const last = recent.get(services);
  if (last && last.until > Date.now()) return last.report;
  const report = checkHealth(services);
  recent.set(services, { until: Date.now() + healthCacheMs, report });
  return report;
}

/**
 * Checks the database and the cache. The app is "down" without its database, "degraded" when
 * only the cache is unreachable (it keeps serving, uncached).
 */
export async function checkHealth(services: Services): Promise<HealthReport> {
  const [database, cache] = await Promise.all([
    timed(async () => {
      await services.db.sql`select 1`;
      return await schemaVersion(services.db.sql);
    }),
    timed(() => services.kv.ping()),
  ]);
  const status = !database.ok ? "down" : !cache.ok ? "degraded" : "ok";
  return {
    status,
    database: { ok: database.ok, kind: services.db.kind, roundTripMs: database.ms, error: database.error },
    cache: { ok: cache.ok, kind: services.kv.kind, roundTripMs: cache.ms, error: cache.error },
    migrationVersion: database.ok ? database.value ?? null : null,
    uptimeSeconds: Math.round((Date.now() - services.startedAt.getTime()) / 1000),
    version: "1.0.0",
  };
}

async function timed<T>(check: () => Promise<T>) {
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, value, ms: Math.round((performance.now() - start) * 100) / 100, error: undefined };
  } catch (error) {
    return { ok: false, value: undefined, ms: undefined, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
