/// <reference lib="dom" />
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/app_router.ts";

let client: ReturnType<typeof createBrowserClient> | undefined;

function createBrowserClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/trpc", transformer: superjson })],
  });
}

/** The tRPC client islands share (same-origin, the session cookie authenticates it). */
export function browserClient() {
  client ??= createBrowserClient();
  return client;
}
