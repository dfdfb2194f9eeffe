import { tracked, type TrackedEnvelope } from "@trpc/server";
import { z } from "zod";
import type { AppEvent, AppEventType } from "../events/bus.ts";
import type { Services } from "../services.ts";
import { adminProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { createCoalescer } from "./coalescer.ts";
import { followEvents, parseLastEventId } from "./follow_events.ts";
import { type LiveHub, liveHub } from "./hub.ts";
import { metricsIntervalMs, type MetricsSnapshot } from "./metrics_feed.ts";
import {
  type AlertChange,
  alertChangeTypes,
  type JobRun,
  jobRunTypes,
  type MetricsMessage,
  selectAlertChange,
  selectJobRun,
  selectMetrics,
  selectStockChange,
  selectTransactionCreated,
  type StockChange,
  stockChangeTypes,
  type TransactionCreated,
  transactionCreatedTypes,
} from "./messages.ts";

// wsLink sends the last id it saw back as `lastEventId` when it reconnects (tRPC merges it into input)
const lastEventId = z.string().max(20).nullish();
const resumeInput = z.object({ lastEventId }).optional();

/**
 * Yields the selected events as `tracked(id, data)`, so a reconnecting wsLink resumes after the
 * last id it received.
 */
async function* trackedEvents<K extends AppEventType, T>(
  services: Services,
  options: {
    types: ReadonlySet<K>;
    lastEventId?: string | null;
    signal?: AbortSignal;
    select: (event: AppEvent<K>) => T | undefined;
  },
) {
  const events = followEvents(liveHub(services), {
    types: options.types,
    lastId: parseLastEventId(options.lastEventId),
    signal: options.signal,
  });
  for await (const event of events) {
    const data = options.select(event);
    if (data !== undefined) yield tracked(String(event.id), data);
  }
}

/**
 * The dashboard's figures, now and whenever an event moves them, at most once per 500 ms per
 * client (a burst of sales becomes one message carrying the latest figures).
 */
export async function* metricsMessages(
  hub: LiveHub,
  options: { lastId: number | null; signal?: AbortSignal },
) {
  let latest: MetricsSnapshot | undefined;
  let sentEventId = options.lastId ?? -1;
  let wake: (() => void) | undefined;
  const coalescer = createCoalescer<MetricsSnapshot>({
    intervalMs: metricsIntervalMs,
    emit(snapshot) {
      latest = snapshot;
      wake?.();
    },
  });
  const stop = hub.metrics.subscribe((snapshot) => coalescer.push(snapshot));
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort);
  try {
    const first = await hub.metrics.current();
    // A client resuming with up-to-date figures gets nothing until they change
    if (first.eventId > sentEventId || options.lastId === null) coalescer.push(first);
    while (!options.signal?.aborted) {
      const snapshot = latest;
      latest = undefined;
      if (!snapshot) {
        await new Promise<void>((resolve) => wake = resolve);
        wake = undefined;
        continue;
      }
      // An older recomputation finishing late must not take the figures back
      if (snapshot.eventId < sentEventId) continue;
      sentEventId = snapshot.eventId;
      yield snapshot;
    }
  } finally {
    stop();
    coalescer.close();
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** `dashboard.onMetrics` */
export const dashboardLiveRouter = router({
  /** Today's figures and the open-alert count, pushed when they change (at most every 500 ms). */
  onMetrics: viewerProcedure
    .input(resumeInput)
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<
      TrackedEnvelope<MetricsMessage>
    > {
      const snapshots = metricsMessages(liveHub(ctx.services), {
        lastId: parseLastEventId(input?.lastEventId),
        signal,
      });
      for await (const snapshot of snapshots) {
        yield tracked(String(snapshot.eventId), selectMetrics(snapshot));
      }
    }),
});

/** `transactions.onCreated` */
export const transactionsLiveRouter = router({
  /** Each new transaction as it commits, on any instance; `suspiciousOnly` keeps reviewed and blocked ones. */
  onCreated: viewerProcedure
    .input(z.object({ suspiciousOnly: z.boolean().default(false), lastEventId }).optional())
    .subscription(function ({ ctx, input, signal }): AsyncGenerator<
      TrackedEnvelope<TransactionCreated>
    > {
      const suspiciousOnly = input?.suspiciousOnly ?? false;
      return trackedEvents(ctx.services, {
        types: transactionCreatedTypes,
        lastEventId: input?.lastEventId,
        signal,
        select(event) {
          const transaction = selectTransactionCreated(event);
          if (suspiciousOnly && transaction.fraudDecision === "allow") return undefined;
          return transaction;
        },
      });
    }),
});

/** `alerts.onChange` */
export const alertsLiveRouter = router({
  /** Alerts raised and alerts whose state changed (acknowledged, snoozed, resolved). */
  onChange: viewerProcedure
    .input(resumeInput)
    .subscription(function ({ ctx, input, signal }): AsyncGenerator<
      TrackedEnvelope<AlertChange>
    > {
      return trackedEvents(ctx.services, {
        types: alertChangeTypes,
        lastEventId: input?.lastEventId,
        signal,
        select: selectAlertChange,
      });
    }),
});

/** `inventory.onStockChange` */
export const inventoryLiveRouter = router({
  /** Every change of a product's stock: sales, refunds, cancellations, receipts, manual edits. */
  onStockChange: viewerProcedure
    .input(z.object({ productId: z.number().int().min(1).optional(), lastEventId }).optional())
    .subscription(function ({ ctx, input, signal }): AsyncGenerator<
      TrackedEnvelope<StockChange>
    > {
      const productId = input?.productId;
      return trackedEvents(ctx.services, {
        types: stockChangeTypes,
        lastEventId: input?.lastEventId,
        signal,
        select(event) {
          const change = selectStockChange(event);
          return productId === undefined || change.productId === productId ? change : undefined;
        },
      });
    }),
});

/** `jobs.onRun` */
export const jobsLiveRouter = router({
  /** Background job runs as they start and finish, on whichever instance ran them. */
  onRun: adminProcedure
    .input(resumeInput)
    .subscription(function ({ ctx, input, signal }): AsyncGenerator<
      TrackedEnvelope<JobRun>
    > {
      return trackedEvents(ctx.services, {
        types: jobRunTypes,
        lastEventId: input?.lastEventId,
        signal,
        select: selectJobRun,
      });
    }),
});
