import type { AppEvent, AppEventType } from "../events/bus.ts";
import type { MetricsSnapshot } from "./metrics_feed.ts";

// What clients receive: each message picks its fields from the event explicitly, so a field a
// publisher adds to an event later is not broadcast to every screen by accident.

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
export interface TransactionCreated {
  /** the transaction's id */
  id: number;
  orderRef: string | null;
  status: string;
  customerId: number | null;
  totalCents: number;
  itemCount: number;
  fraudScore: number | null;
  fraudDecision: string | null;
  createdAt: string;
  /** when the server announced it (after the commit) */
  publishedAt: string;
}

/** `alerts.onChange` and the `alerts` channel. */
export interface AlertChange {
  change: "raised" | "changed";
  /** the alert's id */
  id: number;
  type: string | null;
  severity: string | null;
  status: string | null;
  title: string | null;
  entityType: string | null;
  entityId: number | null;
  at: string;
}

/** `inventory.onStockChange` and the `inventory` channel. */
export interface StockChange {
  productId: number;
  stockQuantity: number | null;
  change: number | null;
  reason: string | null;
  transactionId: number | null;
  at: string;
}

/** `jobs.onRun` and the `jobs` channel. */
export interface JobRun {
  job: string | null;
  status: string | null;
  runId: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  at: string;
}

export const transactionCreatedTypes: ReadonlySet<AppEventType> = new Set(["transaction.created"]);
export const alertChangeTypes: ReadonlySet<AppEventType> = new Set(["alert.raised", "alert.changed"]);
export const stockChangeTypes: ReadonlySet<AppEventType> = new Set(["stock.changed"]);
export const jobRunTypes: ReadonlySet<AppEventType> = new Set(["job.run"]);

function fields(event: AppEvent): Record<string, unknown> {
  return event.data && typeof event.data === "object" ? event.data as Record<string, unknown> : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function number(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

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
export function selectTransactionCreated(event: AppEvent): TransactionCreated {
  const data = fields(event);
  return {
    id: number(data.id) ?? 0,
    orderRef: text(data.orderRef),
    status: text(data.status) ?? "completed",
    customerId: number(data.customerId),
    totalCents: number(data.totalCents) ?? 0,
    itemCount: number(data.itemCount) ?? 0,
    fraudScore: number(data.fraudScore),
    fraudDecision: text(data.fraudDecision),
    createdAt: text(data.createdAt) ?? event.at,
    publishedAt: event.at,
  };
}

/** An `alert.raised` / `alert.changed` event as clients see it. */
export function selectAlertChange(event: AppEvent): AlertChange {
  const data = fields(event);
  return {
    change: event.type === "alert.raised" ? "raised" : "changed",
    id: number(data.id) ?? number(data.alertId) ?? 0,
    type: text(data.type),
    severity: text(data.severity),
    status: text(data.status) ?? (event.type === "alert.raised" ? "open" : null),
    title: text(data.title),
    entityType: text(data.entityType),
    entityId: number(data.entityId),
    at: event.at,
  };
}

/** A `stock.changed` event as clients see it. */
export function selectStockChange(event: AppEvent): StockChange {
  const data = fields(event);
  return {
    productId: number(data.productId) ?? 0,
    stockQuantity: number(data.stockQuantity),
    change: number(data.change),
    reason: text(data.reason),
    transactionId: number(data.transactionId),
    at: event.at,
  };
}

/** A `job.run` event as clients see it. */
export function selectJobRun(event: AppEvent): JobRun {
  const data = fields(event);
  return {
    job: text(data.job) ?? text(data.name),
    status: text(data.status),
    runId: number(data.runId) ?? number(data.id),
    startedAt: text(data.startedAt),
    finishedAt: text(data.finishedAt),
    error: text(data.error),
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
  if (transactionCreatedTypes.has(event.type)) {
    return { channel: "transactions", data: selectTransactionCreated(event) };
  }
  if (alertChangeTypes.has(event.type)) return { channel: "alerts", data: selectAlertChange(event) };
  if (stockChangeTypes.has(event.type)) return { channel: "inventory", data: selectStockChange(event) };
  if (jobRunTypes.has(event.type)) return { channel: "jobs", data: selectJobRun(event) };
  return undefined;
}
