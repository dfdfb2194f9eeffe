/// <reference lib="dom" />
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCLink,
  wsLink,
} from "@trpc/client";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "../server/api/app_router.ts";

let client: ReturnType<typeof createBrowserClient> | undefined;
let socket: ReturnType<typeof createWSClient> | undefined;

// Subscriptions ride one WebSocket per page (opened on the first subscription, closed when none is
// left); queries and mutations stay on HTTP batch
function createBrowserClient() {
  return createTRPCClient<AppRouter>({
    links: [
      countMutations,
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
export function csrfHeaders(): Record<string, string> {
  const match = /(?:^|;\s*)techmart_csrf=([^;]+)/.exec(globalThis.document?.cookie ?? "");
  return match ? { "X-CSRF-Token": decodeURIComponent(match[1]) } : {};
}

let mutationsInFlight = 0;
let lastMutationEnded = 0;

/**
 * True while a mutation this page sent is on its way, and for `graceMs` after the last one answered
 * (the island that sent it is about to show its outcome): LiveRefresh leaves regions alone meanwhile,
 * so a redraw never unmounts an island in the middle of the reader's own action.
 */
export function ownMutationPending(graceMs = 500): boolean {
  return mutationsInFlight > 0 || performance.now() - lastMutationEnded < graceMs;
}

const countMutations: TRPCLink<AppRouter> = () => ({ next, op }) => {
  if (op.type !== "mutation") return next(op);
  return observable((observer) => {
    mutationsInFlight += 1;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      mutationsInFlight -= 1;
      lastMutationEnded = performance.now();
    };
    const subscription = next(op).subscribe({
      next: (value) => observer.next(value),
      error: (error) => {
        end();
        observer.error(error);
      },
      complete: () => {
        end();
        observer.complete();
      },
    });
    return () => {
      end();
      subscription.unsubscribe();
    };
  });
};

/** The tRPC client islands share (same-origin, the session cookie authenticates it). */
export function browserClient() {
  client ??= createBrowserClient();
  return client;
}
