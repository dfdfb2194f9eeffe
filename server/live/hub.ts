import { type AppEvent, sequenceKey } from "../events/bus.ts";
import type { Services } from "../services.ts";
import { type ConnectionSlots, createConnectionSlots } from "./connection_slots.ts";
import { createMetricsFeed, type MetricsFeed } from "./metrics_feed.ts";
import { createReplayBuffer, type Replay } from "./replay_buffer.ts";

/** How many recent events each instance keeps for reconnecting clients. */
export const replayCapacity = 10_000;

/** Counters an operator (and the tests) can read. */
export interface LiveStats {
  /** sockets open right now on this instance */
  sockets: number;
  /** sockets closed because their send buffer passed the bound */
  slowClientsClosed: number;
  /** replays that could not be served completely from this instance's buffer */
  incompleteReplays: number;
}

/**
 * One instance's live side: a single bus subscription feeding the replay buffer, the metrics feed
 * and every open subscription on this instance.
 */
export interface LiveHub {
  /** Resolves once the replay window's start is known (the bus counter when listening began). */
  ready: Promise<void>;
  /** Calls `listener` with every event from now on, until the returned function is called. */
  listen(listener: (event: AppEvent) => void): () => void;
  /** What a client whose last event was `lastId` missed (await `ready` first). */
  replay(lastId: number): Replay;
  metrics: MetricsFeed;
  slots: ConnectionSlots;
  stats: LiveStats;
  /** Keeps `socket` until it closes, so `close()` can end it when the instance stops. */
  track(socket: WebSocket): void;
  /** true once `close()` ran: the instance is stopping and takes no new sockets */
  readonly closed: boolean;
  /** Stops listening to the bus and the metrics feed, and closes every open socket ("going away"). */
  close(): void;
}

const hubs = new WeakMap<Services, LiveHub>();

/** The live hub of these services, started on first use. */
export function liveHub(services: Services): LiveHub {
  let hub = hubs.get(services);
  if (!hub) {
    hub = createLiveHub(services, {
      maxSocketsPerUser: services.config.LIVE_MAX_SOCKETS_PER_USER,
    });
    hubs.set(services, hub);
  }
  return hub;
}

/**
 * Closes the hub of these services, if one was started: open sockets are told the server is going
 * away (clients reconnect to another instance), so a graceful shutdown does not wait on them.
 *
 * The closed hub stays registered: an upgrade still on its way through the middleware when the
 * stop began must find this closed hub (and be refused), not start a fresh one that nobody closes.
 * Such a forgotten socket was the stop that sometimes waited: Deno's own shutdown then sends it a
 * Close frame and waits for that frame to be written, which never happens while the peer reads
 * nothing (a stalled tab, a peer gone without a FIN).
 */
export function closeLiveHub(services: Services): void {
  let hub = hubs.get(services);
  if (!hub) {
    hub = createLiveHub(services, { maxSocketsPerUser: services.config.LIVE_MAX_SOCKETS_PER_USER });
    hubs.set(services, hub);
  }
  hub.close();
}

/** Starts a hub: listens to the bus first, then reads the counter, so no event falls in between. */
export function createLiveHub(services: Services, options: { maxSocketsPerUser: number }): LiveHub {
  const buffer = createReplayBuffer(replayCapacity);
  const metrics = createMetricsFeed(services);
  const listeners = new Set<(event: AppEvent) => void>();
  const slots = createConnectionSlots(options.maxSocketsPerUser);
  const sockets = new Set<WebSocket>();
  let closed = false;
  const stats = {
    get sockets() {
      return slots.count();
    },
    slowClientsClosed: 0,
    incompleteReplays: 0,
  };
  const stopBus = services.bus.subscribe((event) => {
    buffer.add(event);
    metrics.notify(event.type, event.id);
    for (const listener of listeners) listener(event);
  });
  // Every id above the counter's value now is published after this subscription, so reaches it
  const ready = services.kv.get(sequenceKey).then(
    (value) => buffer.setFloor(Number(value ?? 0)),
    (error) =>
      services.log.warn("live replay window unknown: replays will be reported incomplete", { error }),
  );
  return {
    ready,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replay(lastId) {
      const replay = buffer.since(lastId);
      if (!replay.complete) {
        stats.incompleteReplays++;
        services.log.warn(
          "live replay incomplete: the client's last event is older than this instance's buffer",
          {
            lastId,
            oldestBuffered: replay.events[0]?.id ?? null,
          },
        );
      }
      return replay;
    },
    metrics,
    slots,
    stats,
    get closed() {
      return closed;
    },
    track(socket) {
      // Too late: the sockets were closed already; end this one now rather than leave it to Deno
      if (closed) return goAway(socket);
      sockets.add(socket);
      socket.addEventListener("close", () => sockets.delete(socket));
    },
    close() {
      if (closed) return;
      closed = true;
      stopBus();
      listeners.clear();
      metrics.close();
      for (const socket of sockets) goAway(socket);
      sockets.clear();
    },
  };
}

/** The reason sockets get when their instance stops; clients reconnect to another one. */
export const shuttingDownReason = "Server is shutting down";

// Our own close() drops what is still queued for a stalled peer and ends the socket at once;
// CONNECTING sockets are closed as soon as they open.
function goAway(socket: WebSocket): void {
  if (socket.readyState <= WebSocket.OPEN) socket.close(1001, shuttingDownReason);
}
