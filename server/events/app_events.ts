// Every event the bus carries, by name, with the one shape of its data. Publishers are checked against
// it (`bus.publish("stock.changed", ...)` takes a `StockChanged`), and listeners narrow on `event.type`.
// Data is JSON on the wire (Redis, or the in-process store), so times are ISO strings, never Dates.

/** Why a product's stock moved. */
export type StockChangeReason = "sale" | "refund" | "cancel" | "received" | "adjusted";

/** `stock.changed`: one product's stock moved. The one shape every stock writer publishes. */
export interface StockChanged {
  productId: number;
  /** the stock after the change */
  stockQuantity: number;
  /** units moved: negative when taken (a sale, a count down), positive when given back or received */
  change: number;
  reason: StockChangeReason;
  /** the sale, for `sale`, `refund` and `cancel` */
  transactionId: number | null;
  /** the purchase order, for `received` */
  purchaseOrderId: number | null;
}

/** `transaction.created`: a sale committed. */
export interface TransactionCreatedData {
  id: number;
  orderRef: string | null;
  status: string;
  customerId: number | null;
  totalCents: number;
  itemCount: number;
  fraudScore: number | null;
  fraudDecision: string | null;
  /** made by the traffic simulator, not a customer */
  simulated: boolean;
  items: { productId: number; quantity: number }[];
  createdAt: string;
}

/** `transaction.updated`: a sale's status changed (refund, cancel, partial refund) or it was labeled. */
export interface TransactionUpdatedData {
  id: number;
  from?: string;
  status?: string;
  action?: "refund" | "cancel" | "partial_refund";
  refundId?: number;
  fraudLabel?: "fraud" | "legit";
}

/** `alert.raised` and `alert.changed` (the alerts domain narrows severity and status). */
export interface AlertEventData {
  id: number;
  type: string;
  severity: string;
  status: string;
  title: string;
  entityType: string | null;
  entityId: number | null;
  dedupeKey: string | null;
  /** set on `alert.changed` when the alert was deleted */
  deleted?: boolean;
}

/** What a run of the reorder-suggestions job did. */
export interface SuggestionRunSummary {
  planned: number;
  created: number;
  refreshed: number;
  withdrawn: number;
  reopened: number;
  /** Products whose suggestion stays snoozed although they need stock. */
  stillSnoozed: number;
}

/** `suggestion.changed`: a decision on suggestions, new supplier weights, or a suggestions run. */
export type SuggestionChanged =
  | { action: "approved"; suggestionIds: number[]; purchaseOrderIds: number[] }
  | { action: "rejected" | "snoozed"; suggestionIds: number[] }
  | { action: "weights_changed"; weights: Record<string, number> }
  | ({ reason: "job" } & SuggestionRunSummary);

/** `views.refreshed`: the materialized views were refreshed. */
export interface ViewsRefreshed {
  views: { view: string; durationMs: number; watermark: string }[];
}

/** `job.run`: a background job run started or ended. */
export interface JobRunData {
  job: string;
  runId: number;
  slot: string;
  attempt: number;
  status: "running" | "succeeded" | "failed";
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  rows?: number;
  error?: string;
}

/** `product.changed`: a product was created, or fields other than its stock were edited. */
export interface ProductChanged {
  productId: number;
  change: "created" | "updated";
  fields?: string[];
}

/**
 * `access.revoked`: a right ended (token revoked, sign-out, sign-out everywhere, user disabled, role
 * changed). Every instance drops its cached callers and closes the live sockets it names.
 * The fields say whom it concerns: `tokenId` one API token, `sessionIdHash` one session (the
 * stored hash of its token), `userId` alone every session of the user and every token they made.
 */
export interface AccessRevoked {
  userId?: number;
  tokenId?: number;
  sessionIdHash?: string;
  reason:
    | "token_revoked"
    | "signed_out"
    | "signed_out_everywhere"
    | "user_disabled"
    | "role_changed"
    | "password_reset";
}

/** The event map: each event's name and the shape of its data. The names are part of the API. */
export interface AppEvents {
  "transaction.created": TransactionCreatedData;
  "transaction.updated": TransactionUpdatedData;
  "stock.changed": StockChanged;
  "alert.raised": AlertEventData;
  "alert.changed": AlertEventData;
  "suggestion.changed": SuggestionChanged;
  "views.refreshed": ViewsRefreshed;
  "job.run": JobRunData;
  "product.changed": ProductChanged;
  "fraud.rules_changed": { version: number };
  "access.revoked": AccessRevoked;
  "fraud.lists_changed": { customerId: number; list: "allow" | "block" | null };
  /** the shop's fraud settings changed (the cold-start review ceiling, a share of sales) */
  "fraud.settings_changed": { coldStartMaxReviewRate: number; followLabels: boolean };
  /** a notification setting changed (contact point, policy, silence, subscription): `what` is the procedure */
  "notifications.changed": { what: string };
  /** a store promotion or closure was added or removed (`id`: the event's id) */
  "calendar.changed": { id: number; action: "created" | "deleted" };
}

/** What happened: one of the event map's names. */
export type AppEventType = keyof AppEvents;

/** Every event name, for checking what arrives from other instances (exhaustive by its type). */
const known: Record<AppEventType, true> = {
  "transaction.created": true,
  "transaction.updated": true,
  "stock.changed": true,
  "alert.raised": true,
  "alert.changed": true,
  "suggestion.changed": true,
  "views.refreshed": true,
  "job.run": true,
  "product.changed": true,
  "fraud.rules_changed": true,
  "access.revoked": true,
  "fraud.lists_changed": true,
  "fraud.settings_changed": true,
  "notifications.changed": true,
  "calendar.changed": true,
};

/** Every name in the event map. */
export const appEventTypes = Object.keys(known) as AppEventType[];

/** True for a name in the event map. */
export function isAppEventType(value: unknown): value is AppEventType {
  return typeof value === "string" && Object.hasOwn(known, value);
}

type EveryEvent = {
  [T in AppEventType]: {
    /** Globally increasing across instances, so clients can resume after the last id they saw */
    id: number;
    type: T;
    at: string;
    data: AppEvents[T];
  };
}[AppEventType];

/** One event as listeners receive it; `AppEvent<"stock.changed">` carries a `StockChanged`. */
export type AppEvent<K extends AppEventType = AppEventType> = Extract<EveryEvent, { type: K }>;

type EveryPending = { [T in AppEventType]: { type: T; data: AppEvents[T] } }[AppEventType];

/** An event to publish: its name and data, before the bus gives it an id and a time. */
export type PendingEvent<K extends AppEventType = AppEventType> = Extract<EveryPending, { type: K }>;

/** True when `event` is one of `types` (narrows it). */
export function isEventOf<K extends AppEventType>(
  event: AppEvent,
  types: ReadonlySet<K>,
): event is AppEvent<K> {
  return (types as ReadonlySet<AppEventType>).has(event.type);
}
