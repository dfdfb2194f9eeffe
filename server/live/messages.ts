import type { AppEvent } from "../events/bus.ts";
import type {
  AlertEventData,
  JobRunData,
  StockChanged,
  TransactionCreatedData,
} from "../events/app_events.ts";
import type { MetricsSnapshot } from "./metrics_feed.ts";

// What clients receive: each message picks its fields from the event explicitly, so a field a
// publisher adds to an event later is not broadcast to every screen by accident. The events are typed
// by the bus's event map (server/events/app_events.ts), so no field is checked again here.

/** `dashboard.onMetrics` and the `metrics` channel. */
export interface MetricsMessage {
  asOf: string;
  today: MetricsSnapshot["today"];
  previous: MetricsSnapshot["previous"];
  suspiciousToday: number;
  openAlerts: number;
  lowStock: number;
}

/** `transactions.onCreated` and the `transactions` channel. */
export interface TransactionCreated extends Omit<TransactionCreatedData, "items"> {
  /** when the server announced it (after the commit) */
  publishedAt: string;
}

/** `alerts.onChange` and the `alerts` channel. */
export interface AlertChange extends Omit<AlertEventData, "dedupeKey" | "deleted"> {
  change: "raised" | "changed";
  at: string;
}

/** `inventory.onStockChange` and the `inventory` channel. */
export interface StockChange extends StockChanged {
  at: string;
}

/** `jobs.onRun` and the `jobs` channel. */
export interface JobRun {
  job: string;
  status: JobRunData["status"];
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  at: string;
}

export const transactionCreatedTypes: ReadonlySet<"transaction.created"> = new Set(
  ["transaction.created"] as const,
);
export const alertChangeTypes: ReadonlySet<"alert.raised" | "alert.changed"> = new Set(
  ["alert.raised", "alert.changed"] as const,
);
export const stockChangeTypes: ReadonlySet<"stock.changed"> = new Set(["stock.changed"] as const);
export const jobRunTypes: ReadonlySet<"job.run"> = new Set(["job.run"] as const);

/** The dashboard figures a client sees. */
export function selectMetrics(snapshot: MetricsSnapshot): MetricsMessage {
  return {
    asOf: snapshot.asOf,
    today: snapshot.today,
    previous: snapshot.previous,
    suspiciousToday: snapshot.suspiciousToday,
    openAlerts: snapshot.openAlerts,
    lowStock: snapshot.lowStock,
  };
}

/** A `transaction.created` event as clients see it. */
export function selectTransactionCreated(event: AppEvent<"transaction.created">): TransactionCreated {
  const { data } = event;
  return {
    id: data.id,
    orderRef: data.orderRef,
    status: data.status,
    customerId: data.customerId,
    totalCents: data.totalCents,
    itemCount: data.itemCount,
    fraudScore: data.fraudScore,
    fraudDecision: data.fraudDecision,
    simulated: data.simulated,
    createdAt: data.createdAt,
    publishedAt: event.at,
  };
}

/** An `alert.raised` / `alert.changed` event as clients see it. */
export function selectAlertChange(event: AppEvent<"alert.raised" | "alert.changed">): AlertChange {
  const { data } = event;
  return {
    change: event.type === "alert.raised" ? "raised" : "changed",
    id: data.id,
    type: data.type,
    severity: data.severity,
    status: data.status,
    title: data.title,
    entityType: data.entityType,
    entityId: data.entityId,
    at: event.at,
  };
}

/** A `stock.changed` event as clients see it. */
export function selectStockChange(event: AppEvent<"stock.changed">): StockChange {
  const { data } = event;
  return {
    productId: data.productId,
    stockQuantity: data.stockQuantity,
    change: data.change,
    reason: data.reason,
    transactionId: data.transactionId,
    purchaseOrderId: data.purchaseOrderId,
    at: event.at,
  };
}

/** A `job.run` event as clients see it. */
export function selectJobRun(event: AppEvent<"job.run">): JobRun {
  const { data } = event;
  return {
    job: data.job,
    status: data.status,
    runId: data.runId,
    startedAt: data.startedAt,
    finishedAt: data.finishedAt ?? null,
    error: data.error ?? null,
    at: event.at,
  };
}

/** The plain WebSocket's channels and the events each carries. */
export const channels = {
  metrics: null,
  transactions: transactionCreatedTypes,
  alerts: alertChangeTypes,
  inventory: stockChangeTypes,
  jobs: jobRunTypes,
} as const;

export type Channel = keyof typeof channels;

/** Every channel name, in the order the docs list them. */
export const channelNames = Object.keys(channels) as Channel[];

/** The channel of an event, and its message data; undefined for events no channel carries. */
export function channelMessage(event: AppEvent): { channel: Channel; data: unknown } | undefined {
  switch (event.type) {
    case "transaction.created":
      return { channel: "transactions", data: selectTransactionCreated(event) };
    case "alert.raised":
    case "alert.changed":
      return { channel: "alerts", data: selectAlertChange(event) };
    case "stock.changed":
      return { channel: "inventory", data: selectStockChange(event) };
    case "job.run":
      return { channel: "jobs", data: selectJobRun(event) };
    default:
      return undefined;
  }
}
