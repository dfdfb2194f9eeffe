// Save-time and send-time rules for where the server may send a request. Pure: no DNS here.
import {
  blockedReason,
  type Cidr,
  inCidr,
  type IpAddress,
  parseCidr,
  parseIp,
  parseIpv6,
} from "./address.ts";

/** Internal targets an operator allowed on purpose (`OUTBOUND_ALLOWLIST`): host names and networks. */
export interface OutboundAllowlist {
  hosts: string[];
  networks: Cidr[];
}

export const emptyAllowlist: OutboundAllowlist = { hosts: [], networks: [] };

/**
 * Parses `OUTBOUND_ALLOWLIST`: comma-separated host names, addresses and CIDRs
 * (`hooks.internal, 10.1.2.0/24, 127.0.0.1`). Throws an Error naming a malformed entry.
 */
export function parseOutboundAllowlist(text: string): OutboundAllowlist {
  const allowlist: OutboundAllowlist = { hosts: [], networks: [] };
  for (const entry of text.split(",").map((part) => part.trim().toLowerCase()).filter(Boolean)) {
    const network = parseCidr(entry);
    if (network) allowlist.networks.push(network);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
      if (parseIp(entry)) {
        throw new Error(`"${entry}" is an address in an unusual form: write it in dotted decimal`);
      }
      allowlist.hosts.push(entry);
    } else throw new Error(`"${entry}" is neither a host name, an address nor a CIDR such as 10.0.0.0/8`);
  }
  return allowlist;
}

/** The outcome of checking a URL: the parsed URL, or a reason a user can act on. */
export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Why the server must not connect to `address` for `hostname`, or null when it may. */
export function refusedAddressReason(
  hostname: string,
  address: IpAddress,
  allowlist: OutboundAllowlist = emptyAllowlist,
): string | null {
  if (allowlist.hosts.includes(hostname.toLowerCase())) return null;
  if (allowlist.networks.some((network) => inCidr(address, network))) return null;
  return blockedReason(address);
}

// The host as typed, before the URL parser rewrote it (`0x7f000001` becomes `127.0.0.1`)
function typedHost(text: string): string | null {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(text.trim())?.[1];
  if (authority === undefined) return null;
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (hostAndPort.startsWith("[")) return hostAndPort.slice(0, hostAndPort.indexOf("]") + 1);
  return hostAndPort.replace(/:[0-9]*$/, "");
}

/**
 * Whether the server may send requests to `text`: http(s) only, no `user:pass@`, no address in an
 * unusual form (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`), and no loopback, private,
 * link-local, unique-local, metadata or reserved address, unless `allowlist` names it. Names are
 * checked again against their resolved addresses when sending (guardedFetch).
 * @example checkOutboundUrl("http://169.254.169.254/latest/meta-data/")
 * // { ok: false, reason: "The URL points at 169.254.169.254, a link-local address (cloud metadata lives here)..." }
 */
export function checkOutboundUrl(
  text: string,
  allowlist: OutboundAllowlist = emptyAllowlist,
): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      reason: "The URL is not valid: write it in full, such as https://hooks.example.com/alerts",
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `Only http and https URLs can be called, not ${url.protocol.slice(0, -1)}` };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      reason: "The URL must not carry a user name or password (user:pass@): use a webhook secret instead",
    };
  }
  const hostname = url.hostname.toLowerCase();
  const typed = typedHost(text)?.toLowerCase();
  const literal = hostname.startsWith("[") ? parseIpv6(hostname) : parseIp(hostname);
  if (literal && literal.version === 4 && typed !== undefined && typed !== hostname) {
    return {
      ok: false,
      reason: `The URL writes an address in an unusual form (${typed}): write it as ${hostname}`,
    };
  }
  if (allowlist.hosts.includes(hostname)) return { ok: true, url };
  if (literal) {
    const reason = refusedAddressReason(hostname, literal, allowlist);
    if (reason) return { ok: false, reason: refusal(hostname, reason) };
  } else if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    return { ok: false, reason: refusal(hostname, "a loopback address") };
  }
  return { ok: true, url };
}

/** The sentence a user reads when a target is refused. */
export function refusal(target: string, reason: string): string {
  return `The URL points at ${target}, ${reason}, which the server does not call; ` +
    "an administrator can allow an internal target with OUTBOUND_ALLOWLIST";
}
