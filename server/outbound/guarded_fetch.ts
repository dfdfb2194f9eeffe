import { connectGuarded, type GuardedConnectOptions } from "./connect.ts";
import { exchange, OutboundError } from "./http1.ts";
import { checkOutboundUrl, emptyAllowlist } from "./url_check.ts";

export { OutboundError } from "./http1.ts";

export interface GuardedFetchOptions extends GuardedConnectOptions {
  /** the whole exchange (resolve, connect, TLS, request, answer) must end within this; default 10 s */
  timeoutMs?: number;
  /** largest answer body read; larger fails with kind "too_large"; default 1 MiB */
  maxResponseBytes?: number;
  /** extra root certificates (PEM) for a receiver signed by a private authority */
  caCerts?: string[];
}

/**
 * fetch() for every request the server makes to an address someone typed in (webhooks, contact
 * points). The URL is checked (checkOutboundUrl), the name resolved and every address checked, and
 * the connection opened to a checked address itself, so a name cannot resolve to a public address
 * for the check and an internal one for the request. TLS is verified against the URL's host name.
 * Redirects are not followed (a 3xx answer throws kind "redirect"); the exchange is bounded by
 * `timeoutMs` and the body by `maxResponseBytes`. Throws OutboundError on every refusal or failure.
 * @example
 * const response = await guardedFetch(rule.webhookUrl, { method: "POST", body, headers },
 *   { timeoutMs: 5_000, maxResponseBytes: 64 * 1024, allowlist: config.OUTBOUND_ALLOWLIST });
 */
export async function guardedFetch(
  url: string | URL,
  init: RequestInit = {},
  options: GuardedFetchOptions = {},
): Promise<Response> {
  const check = checkOutboundUrl(String(url), options.allowlist ?? emptyAllowlist);
  if (!check.ok) throw new OutboundError(check.reason, "refused");
  const target = check.url;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const method = (init.method ?? "GET").toUpperCase();
  const body = init.body == null ? null : new Uint8Array(await new Response(init.body).arrayBuffer());
  const headers = new Headers(init.headers);

  let conn: Deno.Conn | null = null;
  let timedOut = false;
  let rejectDeadline: (error: Error) => void = () => {};
  const deadline = new Promise<never>((_, reject) => rejectDeadline = reject);
  deadline.catch(() => {});
  // closing the connection also ends a read or write that is waiting on it
  const abort = () => {
    timedOut = true;
    rejectDeadline(new OutboundError(`No answer from ${target.host} within ${timeoutMs} ms`, "timeout"));
    try {
      conn?.close();
    } catch { /* already closed */ }
  };
  const timer = setTimeout(abort, timeoutMs);
  if (init.signal?.aborted) abort();
  init.signal?.addEventListener("abort", abort, { once: true });
  const work = (async () => {
    const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
    conn = await connectGuarded(target.hostname, port, options);
    if (timedOut) {
      (conn as Deno.Conn).close();
      throw new OutboundError(`No answer from ${target.host} within ${timeoutMs} ms`, "timeout");
    }
    if (target.protocol === "https:") {
      conn = await Deno.startTls(conn as Deno.TcpConn, {
        hostname: target.hostname.replace(/^\[|\]$/g, ""),
        caCerts: options.caCerts,
      });
    }
    const raw = await exchange(conn, { method, url: target, headers, body }, maxResponseBytes);
    if (raw.status >= 300 && raw.status < 400) {
      const location = raw.headers.get("location");
      throw new OutboundError(
        `The receiver answered ${raw.status}${location ? ` (to ${location.slice(0, 200)})` : ""}: ` +
          "redirects are not followed, give the final URL",
        "redirect",
      );
    }
    return new Response(raw.body as Uint8Array<ArrayBuffer> | null, {
      status: raw.status,
      statusText: raw.statusText,
      headers: raw.headers,
    });
  })();
  // the loser of the race below settles later: nothing may be left unhandled
  work.catch(() => {});
  try {
    return await Promise.race([deadline, work]);
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    if (timedOut) throw new OutboundError(`No answer from ${target.host} within ${timeoutMs} ms`, "timeout");
    throw new OutboundError(
      `Calling ${target.host} failed: ${error instanceof Error ? error.message : error}`,
      "network",
    );
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener("abort", abort);
    try {
      (conn as Deno.Conn | null)?.close();
    } catch { /* already closed */ }
  }
}
