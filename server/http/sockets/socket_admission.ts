import type { Context } from "hono";
import { authenticateRequest } from "../../auth/authenticate.ts";
import { readBearerToken } from "../../auth/cookies.ts";
import type { Caller } from "../../trpc/roles.ts";
import type { Services } from "../../services.ts";
import { type LiveHub, shuttingDownReason } from "../../live/hub.ts";
import { originRefusal } from "./origin.ts";
import { jsonError } from "../caller.ts";

/** A socket allowed in: who it is, and the slot to give back when it closes. */
export interface AdmittedSocket {
  caller: Caller;
  /**
   * the credentials it came with (a query token moved into Authorization), for re-checks: a copy that
   * outlives the request
   */
  headers: Headers;
  release: () => void;
}

/** Seconds without a pong to a ping before a socket is deemed dead and closed. */
export const idleTimeoutSeconds = 30;

/** Bytes waiting to be sent to one client beyond which it is cut off as too slow. */
export const maxBufferedBytes = 1024 * 1024;

/** True when the request asks to upgrade to a WebSocket. */
export function wantsWebSocket(c: Context): boolean {
  return c.req.header("upgrade")?.toLowerCase() === "websocket";
}

/**
 * Lets a WebSocket in or answers why not: 403 for a foreign Origin, 401 without a valid session
 * cookie or token (`Authorization: Bearer`, or `access_token` in the query for clients that cannot
 * set headers), 429 when the caller already holds its share of sockets.
 */
export async function admitSocket(
  c: Context,
  services: Services,
  hub: LiveHub,
): Promise<AdmittedSocket | Response> {
  // The instance is stopping: say so before any work, so the client reconnects to another one
  if (hub.closed) return jsonError(c, 503, "SERVICE_UNAVAILABLE", `${shuttingDownReason}; connect again`);
  const url = new URL(c.req.url);
  // A copy, always: the upgrade closes the request, and reading its own headers afterwards (the
  // socket guard's re-checks) throws "Request closed"
  const headers = new Headers(c.req.raw.headers);
  // `token` is the name the REST docs gave first; `access_token` is the reference's
  const queryToken = url.searchParams.get("access_token") ?? url.searchParams.get("token");
  if (queryToken && readBearerToken(headers) === undefined) {
    headers.set("authorization", `Bearer ${queryToken}`);
  }
  const refusal = originRefusal(
    c.req.header("origin") ?? null,
    readBearerToken(headers) ? "token" : "cookie",
    {
      ownOrigin: url.origin,
      publicUrl: services.config.PUBLIC_URL,
      corsOrigins: services.config.CORS_ORIGINS,
    },
  );
  if (refusal) return jsonError(c, 403, "FORBIDDEN", refusal);
  const caller = await authenticateRequest(services, headers);
  if (!caller) {
    return jsonError(c, 401, "UNAUTHORIZED", "Sign in, or send an API token, to open a live socket");
  }
  const owner = caller.via === "token"
    ? `token:${caller.tokenId ?? caller.username}`
    : `user:${caller.userId}`;
  const release = hub.slots.take(owner);
  if (!release) {
    return jsonError(
      c,
      429,
      "TOO_MANY_REQUESTS",
      `Too many live sockets for ${caller.username}: at most ${services.config.LIVE_MAX_SOCKETS_PER_USER} per instance; close one first`,
    );
  }
  return { caller, headers, release };
}

/**
 * Sends on a socket unless the client has fallen too far behind: past `maxBufferedBytes` waiting,
 * the socket is closed with a reason (1008) and `onCutOff` runs, so one stalled reader costs the
 * server a bounded amount of memory and never delays the others. Returns false once cut off.
 */
export function sendOrCutOff(
  socket: WebSocket,
  data: string | Uint8Array<ArrayBuffer>,
  onCutOff: (reason: string) => void,
  bound = maxBufferedBytes,
): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  socket.send(data);
  if (socket.bufferedAmount <= bound) return true;
  const reason = `Too slow: more than ${bound} bytes waiting to be sent`;
  try {
    socket.close(1008, reason);
  } catch {
    // already closing
  }
  onCutOff(reason);
  return false;
}
