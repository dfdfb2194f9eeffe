import type { Kv } from "../kv/mod.ts";
import type { Logger } from "../log.ts";

/** What happened; the names are part of the API (subscriptions, cache invalidation). */
export type AppEventType =
  | "transaction.created"
  | "transaction.updated"
  | "stock.changed"
  | "alert.raised"
  | "alert.changed"
  | "suggestion.changed"
  | "views.refreshed"
  | "job.run"
  | "product.changed"
  | "fraud.rules_changed";

export interface AppEvent<T = unknown> {
  /** Globally increasing across instances, so clients can resume after the last id they saw */
  id: number;
  type: AppEventType;
  at: string;
  data: T;
}

export type EventListener = (event: AppEvent) => void;

/**
 * The app's event bus: publish after commit, every instance's listeners receive it (Redis pub/sub
 * when REDIS_URL is set, in-process otherwise).
 */
export interface EventBus {
  publish<T>(type: AppEventType, data: T): Promise<AppEvent<T>>;
  /** Listens to every event until the returned function is called. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

const channel = "techmart:events";
/** The KV counter behind event ids (read by the live hub to know where its replay window starts). */
export const sequenceKey = "techmart:events:seq";

/** Starts the bus: one KV subscription per instance, fanned out to local listeners. */
export async function createEventBus(kv: Kv, log: Logger): Promise<EventBus> {
  const listeners = new Set<EventListener>();
  const unsubscribe = await kv.subscribe(channel, (message) => {
    let event: AppEvent;
    try {
      event = JSON.parse(message);
    } catch {
      log.warn("dropped a malformed event", { message: message.slice(0, 200) });
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error("event listener failed", { type: event.type, error });
      }
    }
  });
  return {
    async publish(type, data) {
      const event = { id: await kv.increment(sequenceKey), type, at: new Date().toISOString(), data };
      await kv.publish(channel, JSON.stringify(event));
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await unsubscribe();
    },
  };
}
