/// <reference lib="dom" />
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/app_router.ts";

let client: ReturnType<typeof createBrowserClient> | undefined;
let socket: ReturnType<typeof createWSClient> | undefined;

// Subscriptions ride one WebSocket per page (opened on the first subscription, closed when none is
// left); queries and mutations stay on HTTP batch
function createBrowserClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: liveSocket(), transformer: superjson }),
        false: httpBatchLink({ url: "/trpc", transformer: superjson, headers: csrfHeaders }),
      }),
    ],
  });
}

/**
 * The page's live socket (`/trpc` over WebSocket; the session cookie authenticates it). It reconnects
 * with backoff, and wsLink resumes each subscription after the last event id it received.
 */
export function liveSocket() {
  socket ??= createWSClient({
    url: () => `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/trpc`,
    lazy: { enabled: true, closeMs: 5_000 },
    // 0.5 s, 1 s, 2 s ... capped at 30 s, with jitter so a restarted server is not hit by every tab at once
    retryDelayMs: (attempt) => Math.min(30_000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2),
  });
  return socket;
}

// Mutations riding on the session cookie must echo the CSRF cookie (see server/http/csrf.ts)
function csrfHeaders(): Record<string, string> {
  const match = /(?:^|;\s*)techmart_csrf=([^;]+)/.exec(globalThis.document?.cookie ?? "");
  return match ? { "X-CSRF-Token": decodeURIComponent(match[1]) } : {};
}

/** The tRPC client islands share (same-origin, the session cookie authenticates it). */
export function browserClient() {
  client ??= createBrowserClient();
  return client;
}
