import type { Context } from "hono";

/** The peer address Deno.serve saw; proxies are not trusted for this unless configured. */
export function clientIp(c: Context): string {
  const info = (c.env as { remoteAddr?: Deno.NetAddr } | undefined)?.remoteAddr;
  return info?.hostname ?? "unknown";
}
