import { type AppEvent, type AppEventType, isEventOf } from "../events/app_events.ts";
import type { LiveHub } from "./hub.ts";

/** What to follow: which event types, from which id on, until when. */
export interface FollowOptions<K extends AppEventType = AppEventType> {
  types: ReadonlySet<K>;
  /** the last event id the client saw; the events after it are replayed first */
  lastId?: number | null;
  signal?: AbortSignal;
}

/**
 * Yields the events of `types` as they happen on any instance, after first replaying the ones the
 * client missed since `lastId`: no gap (the live listener is attached before the replay is read) and
 * no duplicate (live events already replayed, or at or below `lastId`, are skipped). Ends when
 * `signal` aborts.
 */
export async function* followEvents<K extends AppEventType>(
  hub: LiveHub,
  options: FollowOptions<K>,
): AsyncGenerator<AppEvent<K>> {
  const { types, signal } = options;
  const queue: AppEvent<K>[] = [];
  let wake: (() => void) | undefined;
  const stop = hub.listen((event) => {
    if (!isEventOf(event, types)) return;
    queue.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    await hub.ready;
    const lastId = options.lastId ?? null;
    const replayed = new Set<number>();
    if (lastId !== null) {
      for (const event of hub.replay(lastId).events) {
        if (signal?.aborted) return;
        if (!isEventOf(event, types)) continue;
        replayed.add(event.id);
        yield event;
      }
    }
    while (!signal?.aborted) {
      const event = queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => wake = resolve);
        wake = undefined;
        continue;
      }
      if (replayed.has(event.id) || (lastId !== null && event.id <= lastId)) continue;
      yield event;
    }
  } finally {
    stop();
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Reads a client's last event id (`"42"`); anything else means "from now on". */
export function parseLastEventId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
