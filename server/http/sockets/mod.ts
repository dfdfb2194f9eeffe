import type { Hono } from "hono";
import type { Services } from "../../services.ts";
import { upgradeDashboardSocket } from "./dashboard_socket.ts";
import { wantsWebSocket } from "./socket_admission.ts";
import { upgradeTrpcSocket } from "./trpc_socket.ts";

export { liveHub } from "../../live/hub.ts";

/**
 * Adds the live sockets to the app: tRPC over WebSocket at `/trpc` (wsLink) and the plain JSON
 * socket at `/api/v1/ws/dashboard`. Mount before the `/trpc/*` HTTP handler.
 */
export function mountLiveSockets(app: Hono, services: Services): void {
  app.get("/trpc", (c, next) => wantsWebSocket(c) ? upgradeTrpcSocket(c, services) : next());
  app.get("/api/v1/ws/dashboard", (c) => {
    if (!wantsWebSocket(c)) {
      c.header("Upgrade", "websocket");
      return c.json({
        error: {
          code: "UPGRADE_REQUIRED",
          message: "Open this address as a WebSocket",
        },
      }, 426);
    }
    return upgradeDashboardSocket(c, services);
  });
}
