import type { AppEvent } from "../events/bus.ts";

/** What a reconnecting client missed, and whether the buffer still held all of it. */
export interface Replay {
  /** events with an id above the client's last one, oldest first */
  events: AppEvent[];
  /**
   * False when some events after the client's last id are no longer (or were never) in this
   * buffer: it was evicted, or this instance started listening after the client's last event.
   */
  complete: boolean;
}

/** A bounded, id-ordered window of the latest events one instance saw on the bus. */
export interface ReplayBuffer {
  /** Adds an event; duplicates are ignored and a late (out-of-order) event is put in its place. */
  add(event: AppEvent): void;
  /** The events after `lastId`, oldest first. */
  since(lastId: number): Replay;
  /** Everything at or below this id was either seen or is known to be older than the buffer. */
  setFloor(idBeforeFirst: number): void;
  /** The highest id seen, or the floor when nothing has come yet. */
  latestId(): number;
  size(): number;
}

/**
 * Creates a replay buffer holding at most `capacity` events. Until `setFloor` is called the buffer
 * cannot vouch for anything before its first event, so every replay reports itself incomplete.
 */
export function createReplayBuffer(capacity: number): ReplayBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("Replay capacity must be at least 1");
  const events: AppEvent[] = [];
  // Ids at or below `floor` are beyond what the buffer can replay (null: not known yet)
  let floor: number | null = null;

  function indexAfter(id: number): number {
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (events[middle].id <= id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  return {
    add(event) {
      const at = indexAfter(event.id);
      if (at > 0 && events[at - 1].id === event.id) return;
      if (at === events.length) events.push(event);
      else events.splice(at, 0, event);
      while (events.length > capacity) {
        const evicted = events.shift()!;
        floor = Math.max(floor ?? evicted.id, evicted.id);
      }
    },
    since(lastId) {
      const start = indexAfter(lastId);
      return { events: events.slice(start), complete: floor !== null && lastId >= floor };
    },
    setFloor(idBeforeFirst) {
      // Ids are not contiguous (a publish can fail after its id was taken), so the buffer cannot tell
      // a hole from a miss below this id: replays from there on are judged incomplete
      floor = Math.max(floor ?? idBeforeFirst, idBeforeFirst);
    },
    latestId() {
      return events.length ? events[events.length - 1].id : (floor ?? 0);
    },
    size() {
      return events.length;
    },
  };
}
