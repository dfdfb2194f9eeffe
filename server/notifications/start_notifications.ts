import type { Services } from "../services.ts";
import { type DispatchDeps, enqueueAlert, flushDueNotifications } from "./dispatch.ts";
import { deliverDueReports, type ReportDeliveryDeps } from "./report_delivery.ts";
import { routingSettingsOf } from "./routing_cache.ts";

/** The dispatcher settings from the app's config. */
export function dispatchDeps(services: Services): DispatchDeps {
  const { config } = services;
  return {
    sql: services.db.sql,
    log: services.log,
    timeZone: config.STORE_TZ,
    send: { allowlist: config.OUTBOUND_ALLOWLIST, smtpUrl: config.SMTP_URL, smtpFrom: config.SMTP_FROM },
    alertsUrl: config.PUBLIC_URL ? new URL("/alerts", config.PUBLIC_URL).href : undefined,
  };
}

/** Report email settings from the app's config. */
export function reportDeliveryDeps(services: Services): ReportDeliveryDeps {
  const { config } = services;
  return {
    sql: services.db.sql,
    log: services.log,
    timeZone: config.STORE_TZ,
    currency: config.STORE_CURRENCY,
    locale: config.STORE_LOCALE,
    bus: services.bus,
    smtp: config.SMTP_URL
      ? { url: config.SMTP_URL, from: config.SMTP_FROM, allowlist: config.OUTBOUND_ALLOWLIST }
      : null,
    baseUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
  };
}

/**
 * Routes every raised alert to its notification policies (kept per instance, dropped on every
 * `notifications.changed`: `routingSettingsOf`) and sends due notifications every few
 * seconds; emails subscribed sales reports when due. Runs on every instance: claims in PostgreSQL make each send happen once.
 * Returns the stop function, which waits for work under way.
 */
export function startNotifications(
  services: Services,
  options: { tickMs?: number } = {},
): () => Promise<void> {
  // new alerts are routed from this instance's copy of the policies and silences
  const deps: DispatchDeps = { ...dispatchDeps(services), routing: routingSettingsOf(services) };
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const tracked = work.catch((error) => services.log.error("notifications failed", { error }))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  let flushing = false;
  const flush = () => {
    if (flushing) return;
    flushing = true;
    track(flushDueNotifications(deps, new Date()).finally(() => flushing = false));
  };
  const unsubscribe = services.bus.subscribe((event) => {
    if (event.type !== "alert.raised") return;
    // a notification that became due at once goes out now; the rest wait for the next tick
    track(
      enqueueAlert(deps, event.data.id, new Date()).then((recorded) => {
        if (recorded.includes("pending")) flush();
      }),
    );
  });
  const interval = setInterval(flush, options.tickMs ?? 5_000);
  Deno.unrefTimer(interval);
  // report emails are due once a day or week at a store-local hour: a look every minute is enough
  const reports = setInterval(
    () => track(deliverDueReports(reportDeliveryDeps(services), new Date())),
    60_000,
  );
  Deno.unrefTimer(reports);
  return async () => {
    unsubscribe();
    clearInterval(interval);
    clearInterval(reports);
    await Promise.allSettled([...pending]);
  };
}
