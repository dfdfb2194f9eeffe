import { Buffer } from "node:buffer";
import { getWSConnectionHandler } from "@trpc/server/adapters/ws";
import type { Context as HonoContext } from "hono";
import { clientIp } from "../client_ip.ts";
import type { Services } from "../../services.ts";
import { appRouter } from "../../api/app_router.ts";
import { createInnerContext } from "../../trpc/context.ts";
import { liveHub } from "../../live/hub.ts";
import { guardSocket, type SocketGuard } from "./socket_access.ts";
import { maxBatchSize } from "../../trpc/limits.ts";
import { admitSocket, idleTimeoutSeconds, sendOrCutOff } from "./socket_admission.ts";

type Listener = (...args: unknown[]) => void;

/** The upgrade request as tRPC's handler reads it: a URL and Node-style lower-case headers. */
interface UpgradeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  socket: Record<string, never>;
}

type Handler = ReturnType<typeof getWSConnectionHandler>;
type HandlerSocket = Parameters<Handler>[0];
type HandlerRequest = Parameters<Handler>[1];

const contexts = new WeakMap<object, ReturnType<typeof createInnerContext>>();
const handlers = new WeakMap<Services, Handler>();

function connectionHandler(services: Services): Handler {
  let handler = handlers.get(services);
  if (!handler) {
    handler = getWSConnectionHandler({
      router: appRouter,
      // The caller was authenticated before the upgrade; the context is built once per socket
      createContext: ({ req }) => contexts.get(req)!,
      // The same bound as HTTP batches (server/app.tsx)
      maxBatchSize,
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          services.log.error("live procedure failed", { path, error: error.cause ?? error });
        }
      },
      // deno-lint-ignore no-explicit-any -- the `ws` server is not used by the connection handler
      wss: undefined as any,
    });
    handlers.set(services, handler);
  }
  return handler;
}

/**
 * Presents a Deno WebSocket as the `ws` socket tRPC's handler expects: Buffer messages (it accepts
 * nothing else), `on`/`once`, and a send that cuts off a client whose buffer passed the bound.
 */
function adaptSocket(socket: WebSocket, guard: SocketGuard, onCutOff: (reason: string) => void) {
  const listeners = new Map<string, Set<Listener>>();
  let cutOff = false;
  let closed = false;
  function emit(event: string, ...args: unknown[]) {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(...args);
  }
  function on(event: string, listener: Listener) {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener);
  }
  function emitClose() {
    if (closed) return;
    closed = true;
    emit("close");
    listeners.clear();
  }
  socket.addEventListener("message", (event) => {
    const isBinary = typeof event.data !== "string";
    const data = isBinary ? Buffer.from(new Uint8Array(event.data as ArrayBuffer)) : Buffer.from(event.data);
    if (guard.refuseOversized(data.byteLength)) return;
    emit("message", data, isBinary);
  });
  socket.addEventListener("error", (event) => {
    // A client that went away without a close frame (a closed tab, a dropped network: "Unexpected EOF",
    // "Connection reset by peer", "Failed to send frame") reaches here with the socket already closed, and
    // its close event follows and ends its subscriptions. tRPC would log it as a failed procedure, an
    // error line for every closed browser
    if (socket.readyState === WebSocket.CLOSED) return;
    emit("error", (event as ErrorEvent).error ?? new Error("WebSocket error"));
  });
  socket.addEventListener("close", emitClose);
  return {
    get readyState() {
      return cutOff ? WebSocket.CLOSING : socket.readyState;
    },
    on,
    once(event: string, listener: Listener) {
      const wrapped: Listener = (...args) => {
        listeners.get(event)?.delete(wrapped);
        listener(...args);
      };
      on(event, wrapped);
    },
    off(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
    },
    send(data: string | Uint8Array<ArrayBuffer>) {
      if (cutOff) return;
      sendOrCutOff(socket, data, (reason) => {
        cutOff = true;
        onCutOff(reason);
        // Stops the subscriptions now: the close handshake cannot finish while the client reads nothing
        emitClose();
      });
    },
    close(code?: number, reason?: string) {
      socket.close(code, reason);
    },
    terminate() {
      socket.close();
    },
  };
}

/**
 * `GET /trpc` with `Upgrade: websocket`: tRPC over WebSocket for wsLink (subscriptions, and any
 * query or mutation a client sends that way).
 */
export async function upgradeTrpcSocket(c: HonoContext, services: Services): Promise<Response> {
  const hub = liveHub(services);
  const admitted = await admitSocket(c, services, hub);
  if (admitted instanceof Response) return admitted;
  // The request is closed by the upgrade: copy what the handler reads first
  const raw = c.req.raw;
  const url = new URL(raw.url);
  const request: UpgradeRequest = {
    url: url.pathname + url.search,
    method: "GET",
    headers: Object.fromEntries([...raw.headers].map(([name, value]) => [name.toLowerCase(), value])),
    socket: {},
  };
  // Read before the upgrade closes the request
  const ip = clientIp(c);
  let upgraded;
  try {
    upgraded = Deno.upgradeWebSocket(raw, { idleTimeout: idleTimeoutSeconds });
  } catch (error) {
    admitted.release();
    throw error;
  }
  const { socket, response } = upgraded;
  hub.track(socket);
  const guard = guardSocket(services, hub, socket, {
    caller: admitted.caller,
    headers: admitted.headers,
    ip,
  });
  // Every call on the socket re-checks the caller and is charged to the rate limit (server/trpc/init.ts)
  const context = createInnerContext({
    services,
    caller: admitted.caller,
    requestId: c.get("requestId"),
    ip,
    checkCall: () => guard.checkCall(),
  });
  contexts.set(request, context);
  const adapted = adaptSocket(socket, guard, (reason) => {
    hub.stats.slowClientsClosed++;
    context.log.warn("live socket cut off", { reason, user: admitted.caller.username });
    admitted.release();
  });
  socket.addEventListener("close", () => admitted.release());
  socket.addEventListener("open", () => {
    connectionHandler(services)(adapted as unknown as HandlerSocket, request as unknown as HandlerRequest);
  });
  return response;
}
