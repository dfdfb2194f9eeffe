import { createApp } from "./app.tsx";
import { startAlertRuleEvaluation } from "../alerts/evaluate_rules.ts";
import { invalidateOnEvents } from "../cache.ts";
import type { Config } from "../config.ts";
import { openDatabase } from "../db/mod.ts";
import { migrate, readMigrations } from "../db/migrate.ts";
import { createEventBus } from "../events/bus.ts";
import { registerJobs } from "../../jobs/schedule.ts";
import { domainJobs } from "../api/domains.ts";
import { createQueryTimingRecorder, instrumentSql } from "../health/query_timings.ts";
import { ensureIslandBuild, type IslandManifest } from "../islands/build.ts";
import { registerIslands } from "../islands/registry.ts";
import { openKv, withNamespace } from "../kv/mod.ts";
import { closeLiveHub } from "../live/hub.ts";
import { readInstallationId } from "../auth/installation.ts";
import type { SiteDefinition } from "../http/pages/page.ts";
import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { startStockAlertSync } from "../alerts/stock_alert_sync.ts";
import { simulationRefusal, startTrafficSimulator } from "../simulate/traffic.ts";
import { startNotifications } from "../notifications/start_notifications.ts";
import { openableUrl } from "../shared/shown_address.ts";

/** A running TechMart instance. */
export interface RunningApp {
  url: string;
  services: Services;
  /** Stops accepting requests, lets the running ones finish, then closes the pools. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** Runs after migrations, before serving: seeding, first users. */
  prepare?: (services: Services) => Promise<void>;
  /** pages, layout and error page declared in fresh.config.ts */
  site: SiteDefinition;
}

/**
 * Brings up one instance: database (embedded or URL), migrations, cache and bus, island bundles,
 * then the HTTP server. Used by main.ts and by tests that need a real server.
 */
export async function startApp(config: Config, options: StartOptions): Promise<RunningApp> {
  const { log } = options;
  const db = await openDatabase(config, log);
  const cleanups: (() => Promise<void>)[] = [() => db.close()];
  try {
    const { applied, version } = await migrate(db.sql, await readMigrations());
    log.info("database ready", { kind: db.kind, schemaVersion: version, migrationsApplied: applied.length });
    const store = await openKv(config);
    cleanups.unshift(() => store.close());
    const kv = withNamespace(store, `techmart:${await readInstallationId(db.sql)}`);
    const bus = await createEventBus(kv, log);
    cleanups.unshift(() => bus.close());
    const services: Services = { config, db, kv, bus, log, startedAt: new Date() };
    const stopInvalidation = invalidateOnEvents(services);
    cleanups.unshift(() => Promise.resolve(stopInvalidation()));
    cleanups.unshift(startAlertRuleEvaluation(services));
    cleanups.unshift(startStockAlertSync(services));
    cleanups.unshift(startNotifications(services));
    await options.prepare?.(services);
    if (config.SIMULATE_TRAFFIC !== "off") {
      const refusal = await simulationRefusal(services);
      if (refusal) throw new Error(`The traffic simulator is refused: ${refusal}`);
      cleanups.unshift(startTrafficSimulator(services));
    }
    if (config.JOBS === "on") {
      // The slow-query job reads these timings where pg_stat_statements is not loaded
      const queryTimings = createQueryTimingRecorder();
      services.db = { ...db, sql: instrumentSql(db.sql, queryTimings) };
      registerJobs(services, queryTimings, domainJobs);
    }

    const islands = registerIslands(options.site.islands);
    let manifest: IslandManifest = await ensureIslandBuild(log, { islands });
    const inFlight = new Map<string, string>();
    const app = createApp(services, { manifest: () => manifest, inFlight, site: options.site });
    const server = listen(config.HOST, config.PORT, app.fetch);
    const address = server.addr as Deno.NetAddr;
    const url = openableUrl(address.hostname, address.port);
    return {
      url,
      services,
      async stop() {
        // Live sockets never end by themselves: close them first, or the graceful shutdown waits forever
        closeLiveHub(services);
        // A stop must end: a request stuck on an unreachable dependency gets stopTimeoutMs, then we go on
        await withinStopTimeout(
          server.shutdown(),
          () =>
            `finishing in-flight requests (${[...inFlight.values()].join(", ") || "only upgraded sockets"})`,
          log,
        );
        for (const cleanup of cleanups) {
          await withinStopTimeout(cleanup(), () => "closing a connection pool", log);
        }
        manifest = { sourceHash: "", files: {} };
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

/** How long each step of stopping may take before the next one starts anyway. */
export const stopTimeoutMs = 10_000;

async function withinStopTimeout(step: Promise<unknown>, what: () => string, log: Logger): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) =>
    timer = setTimeout(() => resolve("timeout"), stopTimeoutMs)
  );
  try {
    const result = await Promise.race([step.then(() => "done" as const), timedOut]);
    if (result === "timeout") {
      log.error("stopping went on without waiting any longer", { step: what(), ms: stopTimeoutMs });
    }
  } catch (error) {
    log.warn("a step of stopping failed", { step: what(), error });
  } finally {
    clearTimeout(timer);
  }
}

/** Serves `handler` on the address; a port another program holds is named, with what to do about it. */
function listen(hostname: string, port: number, handler: Deno.ServeHandler): Deno.HttpServer {
  try {
    return Deno.serve({ port, hostname, onListen: () => {} }, handler);
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    throw new Error(
      `port ${port} on ${hostname} is already in use (another TechMart, or another server): stop it, or set PORT to another port`,
      { cause: error },
    );
  }
}
