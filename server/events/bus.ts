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

/**
 * Starts the bus: one KV subscription per instance, fanned out to local listeners. While the store
 * is unreachable, events still reach this instance's listeners (its live clients and replay buffer);
 * other instances miss them. Ids never run backwards, even when Redis restarts with an empty
 * counter: each one is at least the highest id this instance has seen plus one, and at least the
 * clock in hundredths of a millisecond (so a fully restarted installation also moves forward).
 */
export async function createEventBus(kv: Kv, log: Logger): Promise<EventBus> {
  const listeners = new Set<EventListener>();
  let highestId = 0;

  function deliver(event: AppEvent) {
    highestId = Math.max(highestId, event.id);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error("event listener failed", { type: event.type, error });
      }
    }
  }

  const unsubscribe = await kv.subscribe(channel, (message) => {
    let event: AppEvent;
    try {
      event = JSON.parse(message);
    } catch {
      log.warn("dropped a malformed event", { message: message.slice(0, 200) });
      return;
    }
    deliver(event);
  });
  return {
    async publish(type, data) {
      const atLeast = Math.max(highestId + 1, Date.now() * 100);
      const at = new Date().toISOString();
      let id: number | undefined;
      try {
        id = await kv.nextSequence(sequenceKey, atLeast);
        highestId = Math.max(highestId, id);
        const event = { id, type, at, data };
        await kv.publish(channel, JSON.stringify(event));
        return event;
      } catch (error) {
        const event = { id: id ?? atLeast, type, at, data };
        log.warn("event bus unreachable: delivered on this instance only", { type, id: event.id, error });
        deliver(event);
        return event;
      }
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
