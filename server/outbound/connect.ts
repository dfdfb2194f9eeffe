import { formatIp, type IpAddress, parseIp } from "./address.ts";
import { OutboundError } from "./http1.ts";
import {
  checkOutboundUrl,
  emptyAllowlist,
  type OutboundAllowlist,
  refusal,
  refusedAddressReason,
} from "./url_check.ts";

export interface GuardedConnectOptions {
  /** internal targets allowed on purpose (config.OUTBOUND_ALLOWLIST) */
  allowlist?: OutboundAllowlist;
  /** resolves a host name to its addresses; default: DNS A and AAAA records */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** A and AAAA records of `hostname`; an empty list when it has none. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const lookups = await Promise.allSettled([
    Deno.resolveDns(hostname, "A"),
    Deno.resolveDns(hostname, "AAAA"),
  ]);
  return lookups.flatMap((lookup) => lookup.status === "fulfilled" ? lookup.value : []);
}

/**
 * The addresses of `hostname`, each checked: throws OutboundError "refused" when any of them is
 * internal (a name that also points inside could be steered there on any request).
 */
export async function resolveOutboundAddresses(
  hostname: string,
  options: GuardedConnectOptions = {},
): Promise<IpAddress[]> {
  const allowlist = options.allowlist ?? emptyAllowlist;
  const bare = hostname.replace(/^\[|\]$/g, "");
  const literal = parseIp(bare);
  const texts = literal ? [bare] : await (options.resolve ?? resolveHost)(bare);
  if (texts.length === 0) throw new OutboundError(`The host ${bare} could not be resolved`, "network");
  const addresses: IpAddress[] = [];
  for (const text of texts) {
    const address = parseIp(text);
    if (!address) throw new OutboundError(`The host ${bare} resolved to a malformed address`, "network");
    const reason = refusedAddressReason(bare, address, allowlist);
    if (reason) throw new OutboundError(refusal(literal ? text : `${bare} (${text})`, reason), "refused");
    addresses.push(address);
  }
  return addresses;
}

/**
 * A TCP connection to `hostname:port`, opened to an address that passed the guard, for protocols
 * other than HTTP (SMTP): the same name and address rules as guardedFetch, and the connection goes
 * to the address that was checked. Wrap it with `Deno.startTls(conn, { hostname })` for TLS.
 * @example const conn = await connectGuarded("smtp.example.com", 587, { allowlist: config.OUTBOUND_ALLOWLIST });
 */
export async function connectGuarded(
  hostname: string,
  port: number,
  options: GuardedConnectOptions = {},
): Promise<Deno.TcpConn> {
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  const check = checkOutboundUrl(`http://${host}:${port}/`, options.allowlist ?? emptyAllowlist);
  if (!check.ok) throw new OutboundError(check.reason, "refused");
  const addresses = await resolveOutboundAddresses(check.url.hostname, options);
  let lastError: unknown = null;
  for (const address of addresses) {
    try {
      return await Deno.connect({ hostname: formatIp(address), port, transport: "tcp" });
    } catch (error) {
      lastError = error;
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new OutboundError(`Could not connect to ${hostname}:${port}: ${reason}`, "network");
}
