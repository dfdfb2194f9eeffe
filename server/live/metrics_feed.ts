import { countProductsRunningShort } from "../inventory/inventory_reads.ts";
import { addStoreDays, startOfStoreDay } from "../shared/store_time.ts";
import {
  countOpenAlerts,
  countSuspicious,
  type SalesFigures,
  salesFigures,
} from "../dashboard/overview_queries.ts";
import type { AppEventType } from "../events/bus.ts";
import type { Services } from "../services.ts";
import { createCoalescer } from "./coalescer.ts";

/**
 * The dashboard's live figures, as `dashboard.overview` counts them: today so far in the store's
 * time zone against yesterday up to the same time, suspicious transactions today, the alert badge
 * and low stock.
 */
export interface MetricsSnapshot {
  /** id of the newest event these figures include */
  eventId: number;
  asOf: string;
  today: SalesFigures;
  previous: SalesFigures;
  suspiciousToday: number;
  openAlerts: number;
  lowStock: number;
}

/** Events that can move the dashboard's figures. */
export const metricsEventTypes: ReadonlySet<AppEventType> = new Set<AppEventType>([
  "transaction.created",
  "transaction.updated",
  "alert.raised",
  "alert.changed",
  "views.refreshed",
  "stock.changed",
]);

/** Fewest milliseconds between two metrics messages to one client (and between two recomputations). */
export const metricsIntervalMs = 500;

/** Recomputes the figures once per burst of events for all of an instance's clients. */
export interface MetricsFeed {
  /** Tells the feed an event happened (the hub calls it for every event). */
  notify(eventType: AppEventType, eventId: number): void;
  /** The figures as of now: the last computed ones while no event came since, else fresh. */
  current(): Promise<MetricsSnapshot>;
  /** Calls `listener` with each recomputation until the returned function is called. */
  subscribe(listener: (snapshot: MetricsSnapshot) => void): () => void;
  close(): void;
}

/** Reads the figures from the database (the dashboard's own queries, without its cache). */
export async function readMetrics(
  services: Pick<Services, "db" | "config">,
  eventId: number,
): Promise<MetricsSnapshot> {
  const now = new Date();
  const { sql } = services.db;
  const timeZone = services.config.STORE_TZ;
  const todayStart = startOfStoreDay(now, timeZone);
  const yesterdayStart = addStoreDays(now, -1, timeZone);
  const yesterdayEnd = new Date(
    Math.min(yesterdayStart.getTime() + (now.getTime() - todayStart.getTime()), todayStart.getTime()),
  );
  // Read directly: the cache is bumped by the same event asynchronously and could still answer stale
  const [today, previous, suspiciousToday, alerts, lowStock] = await Promise.all([
    salesFigures(sql, [todayStart, now]),
    salesFigures(sql, [yesterdayStart, yesterdayEnd]),
    countSuspicious(sql, [todayStart, now]),
    countOpenAlerts(sql, new Date(now.getTime() - 86_400_000)),
    countProductsRunningShort(sql, { timeZone, now }),
  ]);
  return {
    eventId,
    asOf: now.toISOString(),
    today,
    previous,
    suspiciousToday,
    openAlerts: alerts.total,
    lowStock,
  };
}

/**
 * Creates the instance's metrics feed: with N dashboards open, a burst of sales costs one read of
 * the figures per 500 ms, not N.
 */
export function createMetricsFeed(services: Pick<Services, "db" | "config" | "log">): MetricsFeed {
  const listeners = new Set<(snapshot: MetricsSnapshot) => void>();
  let latestEventId = 0;
  let last: MetricsSnapshot | undefined;
  let running: Promise<MetricsSnapshot> | undefined;
  let rerun = false;

  async function compute(): Promise<MetricsSnapshot> {
    const eventId = latestEventId;
    const snapshot = await readMetrics(services, eventId);
    // A slower, older read must not replace a newer one
    if (!last || snapshot.eventId >= last.eventId) last = snapshot;
    return snapshot;
  }

  function refresh() {
    if (running) {
      rerun = true;
      return;
    }
    running = compute();
    running.then((snapshot) => {
      for (const listener of listeners) listener(snapshot);
    }, (error) => services.log.warn("live metrics read failed", { error })).finally(() => {
      running = undefined;
      if (rerun) {
        rerun = false;
        coalescer.push(latestEventId);
      }
    });
  }

  const coalescer = createCoalescer<number>({ intervalMs: metricsIntervalMs, emit: refresh });

  return {
    notify(eventType, eventId) {
      if (!metricsEventTypes.has(eventType)) return;
      latestEventId = Math.max(latestEventId, eventId);
      if (listeners.size > 0) coalescer.push(eventId);
    },
    async current() {
      // Rolling windows drift without events too: figures older than this are read again
      if (last && last.eventId >= latestEventId && Date.now() - Date.parse(last.asOf) < 30_000) return last;
      return await (running ?? compute());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      coalescer.close();
      listeners.clear();
    },
  };
}
