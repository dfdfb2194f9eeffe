/**
 * The typed client for internal tools and scripts: every procedure of the app with its input and
 * output types, queries and mutations over HTTP (batched), subscriptions over one WebSocket.
 *
 * @example
 * const api = createTechMartClient({ url: "http://localhost:8000", token: Deno.env.get("TECHMART_TOKEN") });
 * const overview = await api.dashboard.overview.query();
 * api.transactions.onCreated.subscribe(undefined, { onData: ({ data }) => console.log(data) });
 */
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import type { AppRouter } from "../server/api/app_router.ts";
import { type StoreFormat, storeFormat } from "../server/shared/format.ts";

export type { AppRouter, StoreFormat };

/**
 * What each procedure answers, by path: `RouterOutputs["tokens"]["list"]`. Islands type their props with
 * it, and pages hand them the answers as they are (island props travel as superjson, Dates included).
 */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface TechMartClientOptions {
  /** The app's base URL, e.g. `http://localhost:8000` (the client adds `/trpc`). */
  url: string;
  /** An API token (`tm_...`), sent as `Authorization: Bearer`; omit for public procedures only. */
  token?: string;
  /** How long an idle WebSocket stays open after the last subscription ends (default 10 s). */
  socketIdleMs?: number;
}

export type TechMartClient = ReturnType<typeof createTRPCClient<AppRouter>>;

const sockets = new WeakMap<TechMartClient, ReturnType<typeof createWSClient>>();

/**
 * A tRPC client typed by `AppRouter`. The WebSocket opens with the first subscription and closes
 * itself when none is left; `closeTechMartClient` closes it at once.
 * @param options where the app is and which token to use
 */
export function createTechMartClient(options: TechMartClientOptions): TechMartClient {
  const base = new URL(options.url);
  const httpUrl = new URL("/trpc", base);
  const socketUrl = new URL("/trpc", base);
  socketUrl.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  const authorization: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {};

  // Deno's WebSocket takes headers, so the token never appears in a URL (and in access logs)
  class AuthorizedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      // the "dom" lib's WebSocket type hides Deno's options overload; Deno accepts this object
      super(url, { protocols, headers: authorization } as unknown as string[]);
    }
  }

  const socket = createWSClient({
    url: socketUrl.toString(),
    WebSocket: AuthorizedWebSocket,
    lazy: { enabled: true, closeMs: options.socketIdleMs ?? 10_000 },
    // reconnects resume where they stopped: subscriptions yield tracked ids
    retryDelayMs: (attempt) => Math.min(30_000, 500 * 2 ** attempt),
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === "subscription",
        true: wsLink({ client: socket, transformer: superjson }),
        false: httpBatchLink({
          url: httpUrl.toString(),
          transformer: superjson,
          headers: () => authorization,
        }),
      }),
    ],
  });
  sockets.set(client, socket);
  return client;
}

/** Closes the client's WebSocket now (pending subscriptions end); HTTP calls need no closing. */
export async function closeTechMartClient(client: TechMartClient): Promise<void> {
  await sockets.get(client)?.close();
}

/**
 * Formatters for the shop this client talks to: amounts in its currency, dates in its locale and
 * time zone, exactly as its pages write them (`STORE_CURRENCY`, `STORE_LOCALE`, `STORE_TZ`).
 * @example const format = await fetchStoreFormat(api); format.money(overview.today.revenueCents) // "£1,234.56"
 */
export async function fetchStoreFormat(client: TechMartClient): Promise<StoreFormat> {
  return storeFormat(await client.settings.store.query());
}
