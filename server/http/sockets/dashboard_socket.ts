import { TRPCError } from "@trpc/server";
import type { Context as HonoContext } from "hono";
import type { AppEventType } from "../../events/bus.ts";
import type { Services } from "../../services.ts";
import { followEvents, parseLastEventId } from "../../live/follow_events.ts";
import { liveHub } from "../../live/hub.ts";
import type { AppEvent } from "../../events/bus.ts";
import { type Channel, channelMessage, channelNames, channels, selectMetrics } from "../../live/messages.ts";
import { metricsMessages } from "../../live/subscriptions.ts";
import { roleAtLeast } from "../../trpc/roles.ts";
import { clientIp } from "../client_ip.ts";
import { guardSocket } from "./socket_access.ts";
import { admitSocket, idleTimeoutSeconds, sendOrCutOff } from "./socket_admission.ts";

/** Channels sent when the client names none. */
export const defaultChannels: Channel[] = ["metrics", "transactions", "alerts", "inventory"];

/** Reads `?channels=a,b`: the channels, or a message naming the unknown one. */
export function parseChannels(value: string | null): Channel[] | string {
  if (value === null || value.trim() === "") return defaultChannels;
  const wanted = [...new Set(value.split(",").map((name) => name.trim()).filter(Boolean))];
  for (const name of wanted) {
    if (!(channelNames as string[]).includes(name)) {
      return `Unknown channel "${name}": choose from ${channelNames.join(", ")}`;
    }
  }
  return wanted as Channel[];
}

// The hub hands the same event object to every socket: serialize its message once, not once per client
const serialized = new WeakMap<AppEvent, string | null>();

/** The JSON message of an event on the plain socket, or null when no channel carries it. */
export function eventMessageJson(event: AppEvent): string | null {
  let json = serialized.get(event);
  if (json === undefined) {
    const message = channelMessage(event);
    json = message
      ? JSON.stringify({
        channel: message.channel,
        id: event.id,
        type: event.type,
        at: event.at,
        data: message.data,
      })
      : null;
    serialized.set(event, json);
  }
  return json;
}

/**
 * `GET /api/v1/ws/dashboard?channels=metrics,transactions,alerts,inventory[&lastEventId=42]`: the
 * live dashboard for programs that do not speak tRPC. Each message is one JSON object
 * `{"channel", "id", "type", "at", "data"}`; `id` is the event id to resume from with `lastEventId`.
 */
export async function upgradeDashboardSocket(c: HonoContext, services: Services): Promise<Response> {
  const url = new URL(c.req.url);
  const wanted = parseChannels(url.searchParams.get("channels"));
  if (typeof wanted === "string") {
    return c.json({ error: { code: "BAD_REQUEST", message: wanted, requestId: c.get("requestId") } }, 400);
  }
  const lastId = parseLastEventId(url.searchParams.get("lastEventId"));
  // Read before the upgrade closes the request
  const ip = clientIp(c);
  const hub = liveHub(services);
  const admitted = await admitSocket(c, services, hub);
  if (admitted instanceof Response) return admitted;
  // Job runs carry error texts: the same admin role as jobs.onRun
  if (wanted.includes("jobs") && !roleAtLeast(admitted.caller.role, "admin")) {
    admitted.release();
    c.header("Cache-Control", "no-store");
    return c.json({
      error: {
        code: "FORBIDDEN",
        message: `The jobs channel needs the admin role; you are signed in as ${admitted.caller.role}`,
        requestId: c.get("requestId"),
      },
    }, 403);
  }
  let upgraded;
  try {
    upgraded = Deno.upgradeWebSocket(c.req.raw, { idleTimeout: idleTimeoutSeconds });
  } catch (error) {
    admitted.release();
    throw error;
  }
  const { socket, response } = upgraded;
  hub.track(socket);
  const log = c.get("log");
  const stop = new AbortController();
  const end = () => {
    stop.abort();
    admitted.release();
  };
  const send = (json: string) =>
    sendOrCutOff(socket, json, (reason) => {
      hub.stats.slowClientsClosed++;
      log.warn("live socket cut off", { reason, user: admitted.caller.username });
      end();
    });
  socket.addEventListener("close", end);
  const guard = guardSocket(services, hub, socket, {
    caller: admitted.caller,
    headers: admitted.headers,
    ip,
  });
  // Clients have nothing to say here, but whatever they send is bounded, re-checked and charged
  socket.addEventListener("message", (event) => {
    const bytes = typeof event.data === "string"
      ? new TextEncoder().encode(event.data).byteLength
      : (event.data as ArrayBuffer).byteLength;
    if (guard.refuseOversized(bytes)) return;
    guard.checkCall().catch((error) => {
      if (error instanceof TRPCError && error.code === "TOO_MANY_REQUESTS") {
        socket.close(1008, error.message);
      }
    });
  });
  socket.addEventListener("open", () => {
    const types = new Set<AppEventType>();
    for (const channel of wanted) for (const type of channels[channel] ?? []) types.add(type);
    if (types.size > 0) {
      (async () => {
        for await (const event of followEvents(hub, { types, lastId, signal: stop.signal })) {
          const json = eventMessageJson(event);
          if (json) send(json);
        }
      })().catch((error) => log.error("live dashboard socket failed", { error }));
    }
    if (wanted.includes("metrics")) {
      (async () => {
        for await (const snapshot of metricsMessages(hub, { lastId, signal: stop.signal })) {
          // Metrics are coalesced per client, so there is nothing to share between sockets here
          send(JSON.stringify({
            channel: "metrics",
            id: snapshot.eventId,
            type: "metrics",
            at: snapshot.asOf,
            data: selectMetrics(snapshot),
          }));
        }
      })().catch((error) => log.error("live metrics socket failed", { error }));
    }
  });
  return response;
}
