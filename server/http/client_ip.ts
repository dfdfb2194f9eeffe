import type { Context, MiddlewareHandler } from "hono";
import { type Cidr, formatIp, inCidr, parseCidrList, parseIp } from "../outbound/address.ts";

declare module "hono" {
  interface ContextVariableMap {
    /** the client's address, set by trustedClientIp() */
    clientIp: string;
  }
}

function peerIp(c: Context): string {
  return peerAddress(c.env);
}

/** The address Deno.serve saw the request come from (`env` is the handler's second argument). */
export function peerAddress(env: unknown): string {
  return (env as { remoteAddr?: Deno.NetAddr } | undefined)?.remoteAddr?.hostname ?? "unknown";
}

/**
 * The client's address: the peer Deno.serve saw, or, when that peer is a proxy named in
 * TRUSTED_PROXIES, the address the proxies forwarded (see forwardedClientIp).
 */
export function clientIp(c: Context): string {
  return c.get("clientIp") ?? peerIp(c);
}

/** Parses TRUSTED_PROXIES (see parseCidrList). */
export const parseTrustedProxies = parseCidrList;

/**
 * The client behind trusted proxies: X-Forwarded-For read from the right (each proxy appends the
 * address it saw), skipping trusted proxies; the first other address is the client. Entries left
 * of it were written by the client and are ignored, so a forged header cannot choose the address.
 * @example forwardedClientIp("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3", [parseCidr("10.0.0.0/8")!]) // "203.0.113.9"
 */
export function forwardedClientIp(peer: string, forwardedFor: string | undefined, trusted: Cidr[]): string {
  const isTrusted = (text: string) => {
    const address = parseIp(text);
    return address !== null && trusted.some((network) => inCidr(address, network));
  };
  if (!forwardedFor || !isTrusted(peer)) return peer;
  let client = peer;
  for (const hop of forwardedFor.split(",").map((part) => part.trim()).reverse()) {
    const address = parseIp(hop.replace(/^\[|\]$/g, ""));
    if (!address) break;
    client = formatIp(address);
    if (!isTrusted(client)) break;
  }
  return client;
}

/** Sets the request's client address once, for rate limits, sign-in throttling and the audit log. */
export function trustedClientIp(trusted: Cidr[]): MiddlewareHandler {
  return async (c, next) => {
    c.set("clientIp", forwardedClientIp(peerIp(c), c.req.header("x-forwarded-for"), trusted));
    await next();
  };
}
