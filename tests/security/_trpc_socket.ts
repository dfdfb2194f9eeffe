// Test helper: a tRPC WebSocket spoken by hand, so a test sees close codes and raw answers.
import { openCollectingSocket } from "../live/_socket_clients.ts";

/** An answer of tRPC's WebSocket protocol: a result or an error for a request id. */
export interface TrpcAnswer {
  id: number;
  result?: { type: string; data?: unknown };
  error?: { json?: { message?: string; data?: { code?: string } } };
}

/** A tRPC socket: `call` sends one query/mutation and resolves with its answer. */
export interface TrpcSocket {
  call(method: "query" | "mutation" | "subscription", path: string, input?: unknown): Promise<TrpcAnswer>;
  /** sends raw text (a batch, an oversized frame) */
  send(text: string): void;
  closed: Promise<CloseEvent>;
  close(): Promise<void>;
}

/** Opens `/trpc` on an app at `url` (ws://...) with optional headers (cookie, Origin). */
export async function openTrpcSocket(url: string, headers: Record<string, string> = {}): Promise<TrpcSocket> {
  const socket = await openCollectingSocket(url, headers);
  let nextId = 1;
  return {
    async call(method, path, input) {
      const id = nextId++;
      socket.socket.send(JSON.stringify({
        id,
        method,
        params: { path, input: input === undefined ? {} : { json: input } },
      }));
      // A socket closed before answering rejects at once instead of waiting out the timeout
      return await Promise.race([
        socket.waitFor<TrpcAnswer>((message) => message.id === id, 5_000),
        socket.closed.then((event) =>
          Promise.reject(new Error(`Socket closed (${event.code}) before answering`))
        ),
      ]);
    },
    send: (text) => socket.socket.send(text),
    closed: socket.closed,
    close: () => socket.close(),
  };
}

/** The error code of an answer (`UNAUTHORIZED`, `FORBIDDEN`, ...), or undefined for a result. */
export function errorCodeOf(answer: TrpcAnswer): string | undefined {
  return answer.error?.json?.data?.code;
}

/** Resolves with the close event, or rejects when the socket stays open past `timeoutMs`. */
export function closedWithin(closed: Promise<CloseEvent>, timeoutMs: number): Promise<CloseEvent> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    closed.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Socket still open after ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
}

/** The status a WebSocket upgrade of `url` (ws://...) is answered with, its body discarded. */
export async function upgradeStatus(url: string): Promise<number> {
  const response = await fetch(url.replace(/^ws/, "http"), {
    headers: {
      upgrade: "websocket",
      connection: "upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  await response.body?.cancel();
  return response.status;
}
