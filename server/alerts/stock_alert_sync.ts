import type { Sql } from "../db/mod.ts";
import type { EventBus } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { publishStockAlerts, syncStockAlerts } from "./stock_alerts.ts";

/**
 * How long changes are gathered before one sync: a receipt of 40 lines is one sync, not 40, and a
 * flash sale checks its product once per window however many sales it makes.
 */
export const gatherMs = 200;

/** What a sync needs: the database, the bus for its alert events, the log, the shop's time zone. */
export interface SyncDeps {
  db: { sql: Sql };
  bus: EventBus;
  log: Logger;
  config: { STORE_TZ: string };
}

/**
 * This instance's stock-alert syncs, coalesced: products named while a window is open are synced
 * together when it closes, one sync at a time (a product named during a sync waits for the next
 * window). Nothing waits on it: a sale answers before its products are checked. A process that dies
 * with products still queued loses nothing for good: the `stock-alerts` job syncs every product
 * (every 10 minutes, and after the forecast and planning jobs).
 */
export class StockAlertSyncs {
  readonly #pending = new Set<number>();
  #everything = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(private readonly deps: SyncDeps, private readonly windowMs = gatherMs) {}

  /** Queues `productIds` for the next sync (its window opens now if none is open). */
  add(productIds: Iterable<number>): void {
    for (const id of productIds) this.#pending.add(id);
    this.#schedule();
  }

  /** Queues every active product. */
  addEverything(): void {
    this.#everything = true;
    this.#schedule();
  }

  /** Resolves once everything queued so far has been synced (an open window closes at once). */
  async settled(): Promise<void> {
    while (this.#timer !== undefined || this.#pending.size > 0 || this.#everything) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#flush();
      await this.#running;
    }
    await this.#running;
  }

  /** Syncs what is queued, then takes no more (the next start's jobs catch up on anything later). */
  async stop(): Promise<void> {
    await this.settled();
    this.#stopped = true;
  }

  #schedule() {
    if (this.#timer === undefined && !this.#stopped) {
      this.#timer = setTimeout(() => this.#flush(), this.windowMs);
    }
  }

  #flush() {
    this.#timer = undefined;
    if (this.#pending.size === 0 && !this.#everything) return;
    const productIds = this.#everything ? undefined : [...this.#pending];
    this.#pending.clear();
    this.#everything = false;
    this.#running = this.#running.then(async () => void await syncStockAlertsNow(this.deps, productIds))
      .catch((error) => this.deps.log.error("stock alert sync failed", { productIds, error }));
  }
}

const syncsByBus = new WeakMap<object, StockAlertSyncs>();

/** The instance's coalesced stock-alert syncs (one per event bus, that is per instance). */
export function stockAlertSyncsOf(deps: SyncDeps): StockAlertSyncs {
  let syncs = syncsByBus.get(deps.bus);
  if (!syncs) syncsByBus.set(deps.bus, syncs = new StockAlertSyncs(deps));
  return syncs;
}

/**
 * Keeps stock alerts true after stock moves up or a reorder point changes (a refund, a cancelled
 * sale, a receipt, a manual edit, new forecasts): syncs the products named by `stock.changed` and
 * `product.changed`, and every product after a forecast or planning job. Sales queue their own
 * products on the same syncs (without waiting), so their `stock.changed` is skipped here. Every
 * instance runs it; raising and resolving are idempotent (one open alert per dedupe key, resolution
 * only of an unresolved alert). start.ts calls it once; the returned function stops it and waits for
 * what is queued to be synced.
 */
export function startStockAlertSync(services: Services): () => Promise<void> {
  const syncs = stockAlertSyncsOf(services);
  const unsubscribe = services.bus.subscribe((event) => {
    if (event.type === "stock.changed" && event.data.reason !== "sale") {
      syncs.add([event.data.productId]);
    } else if (event.type === "product.changed") {
      syncs.add([event.data.productId]);
    } else if (
      event.type === "job.run" && event.data.status === "succeeded" &&
      (event.data.job === "inventory-predictions" || event.data.job === "reorder-suggestions")
    ) {
      syncs.addEverything();
    }
  });

  return async () => {
    unsubscribe();
    await syncs.stop();
  };
}

/**
 * One sync of the given products (every active product when omitted), then its events.
 * @example await syncStockAlertsNow(services) // at first start: alerts for the current state
 */
export async function syncStockAlertsNow(
  services: SyncDeps,
  productIds?: number[],
): Promise<number> {
  if (productIds && productIds.length === 0) return 0;
  const now = new Date();
  const changes = await services.db.sql.begin((tx) =>
    syncStockAlerts(tx, { productIds, timeZone: services.config.STORE_TZ, now })
  );
  await publishStockAlerts(services, changes);
  return changes.changed.length;
}
