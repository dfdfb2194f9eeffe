/// <reference lib="dom" />
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/app_router.ts";

let client: ReturnType<typeof createBrowserClient> | undefined;

function createBrowserClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/trpc", transformer: superjson, headers: csrfHeaders })],
  });
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
