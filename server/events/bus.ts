import type { Kv } from "../kv/mod.ts";
import type { Logger } from "../log.ts";

import {
  type AppEvent,
  type AppEvents,
  type AppEventType,
  isAppEventType,
  type PendingEvent,
} from "./app_events.ts";
import { outageLog } from "../shared/repeat_limit.ts";

export type { AppEvent, AppEvents, AppEventType, PendingEvent };

export type EventListener = (event: AppEvent) => void;

/**
 * The app's event bus: publish after commit, every instance's listeners receive it (Redis pub/sub
 * when REDIS_URL is set, in-process otherwise).
 */
export interface EventBus {
  publish<K extends AppEventType>(type: K, data: AppEvents[K]): Promise<AppEvent<K>>;
  /** Publishes several events in order, numbered and sent in one step (one round trip on Redis). */
  publishAll(events: PendingEvent[]): Promise<AppEvent[]>;
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
    // Other instances publish here (possibly another version, mid-deploy): the envelope is checked,
    // an unknown event name is dropped; the data's shape is the event map's (one codebase publishes it)
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      event = undefined;
    }
    if (!isEnvelope(event)) {
      log.warn("dropped a malformed event", { message: message.slice(0, 200) });
      return;
    }
    deliver(event);
  });
  // One script numbers and publishes the events of a change (it was a round trip for the number and one
  // for each PUBLISH); the number goes between the envelope's head and the rest of it. The changes of one
  // turn share that script run: a batch of sales commits at once and each sale published on its own,
  // one script, one reply and one promise per sale on Redis (the app's CPU per sale showed it)
  let queued: Queued[] = [];
  let turnTimer: ReturnType<typeof setTimeout> | undefined;
  // every turn fails while Redis is away: one line per window, not one per turn of sales, and one at its end
  const outage = outageLog(log, {
    failing: "event bus unreachable: delivered on this instance only",
    back: "event bus reachable again",
    counted: "eventsDeliveredHereOnly",
  });

  function publishAll(events: PendingEvent[]): Promise<AppEvent[]> {
    const at = new Date().toISOString();
    // serialized now: an event that cannot be refuses its own publish, not the others of the turn
    const messages = events.map(({ type, data }) => ({
      head: `{"id":`,
      tail: `,${JSON.stringify({ type, at, data }).slice(1)}`,
    }));
    return new Promise((resolve) => {
      if (queued.length === 0) turnTimer = setTimeout(publishQueued, 0);
      queued.push({ events, at, messages, resolve });
    });
  }

  async function publishQueued(): Promise<void> {
    clearTimeout(turnTimer);
    const turn = queued;
    queued = [];
    if (turn.length === 0) return;
    const messages = turn.flatMap((change) => change.messages);
    const atLeast = Math.max(highestId + 1, Date.now() * 100);
    let ids: number[];
    let sent = true;
    try {
      ids = await kv.publishNumbered(sequenceKey, atLeast, channel, messages);
      highestId = Math.max(highestId, ...ids);
      outage.worked();
    } catch (error) {
      ids = messages.map((_, index) => atLeast + index);
      sent = false;
      outage.failed(messages.length, () => ({
        types: turn.flatMap((change) => change.events.map((event) => event.type)),
        ids,
        error,
      }));
    }
    let next = 0;
    for (const change of turn) {
      const events = change.events.map(({ type, data }) =>
        ({ id: ids[next++], type, at: change.at, data }) as AppEvent
      );
      if (!sent) { for (const event of events) deliver(event); }
      change.resolve(events);
    }
  }

  return {
    async publish<K extends AppEventType>(type: K, data: AppEvents[K]): Promise<AppEvent<K>> {
      const [event] = await publishAll([{ type, data } as PendingEvent]);
      return event as AppEvent<K>;
    },
    publishAll,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // what this turn queued still goes out (a stopping instance's last changes are announced)
      await publishQueued();
      listeners.clear();
      await unsubscribe();
    },
  };
}

/** A change's events waiting for the turn's publish, serialized, with the answer to give it. */
interface Queued {
  events: PendingEvent[];
  at: string;
  messages: { head: string; tail: string }[];
  resolve(events: AppEvent[]): void;
}

function isEnvelope(value: unknown): value is AppEvent {
  if (!value || typeof value !== "object") return false;
  const { id, type, at, data } = value as Record<string, unknown>;
  return typeof id === "number" && Number.isFinite(id) && isAppEventType(type) && typeof at === "string" &&
    typeof data === "object" && data !== null;
}

/**
 * Publishes events after their change committed, in order: a failed publish is logged, never turned
 * into a failed request (the change is already in the database; caches expire and pages re-read).
 * @example await publishAfterCommit(deps, { type: "product.changed", data: { productId, change: "created" } })
 */
export async function publishAfterCommit(
  deps: { bus: EventBus; log: Logger },
  ...events: PendingEvent[]
): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.bus.publishAll(events);
  } catch (error) {
    deps.log.error("publishing events after commit failed", {
      types: events.map((event) => event.type),
      error,
    });
  }
}
