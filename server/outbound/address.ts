// Pure address classification for the outbound guard: which IP addresses a server-made request
// may reach. No I/O here; guarded_fetch.ts resolves names and calls these.

/** An IP address as bytes (4 for IPv4, 16 for IPv6). */
export interface IpAddress {
  version: 4 | 6;
  bytes: number[];
}

/** A network: an address and how many leading bits of it count. */
export interface Cidr {
  address: IpAddress;
  prefix: number;
}

/**
 * Parses an IPv4 address in any form `inet_aton` accepts (and so what some clients still connect
 * to): 1 to 4 parts, each decimal, octal (leading 0) or hex (0x): `127.0.0.1`, `127.1`,
 * `0x7f000001`, `2130706433`, `0177.0.0.1`. Null when it is not one.
 */
export function parseIpv4Loose(text: string): IpAddress | null {
  const parts = text.split(".");
  if (parts.length === 0 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isSafeInteger(value)) return null;
    values.push(value);
  }
  // the last part fills every byte the earlier ones left
  const last = values.pop()!;
  if (values.some((value) => value > 255)) return null;
  if (last >= 256 ** (4 - values.length)) return null;
  const bytes = [...values];
  for (let i = 3 - values.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return { version: 4, bytes };
}

/** Whether `text` is a plain dotted-quad IPv4 address with no leading zeros (the canonical form). */
export function isCanonicalIpv4(text: string): boolean {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/
    .test(text);
}

/** Parses an IPv6 address (with or without brackets, with an embedded IPv4 tail); null otherwise. */
export function parseIpv6(text: string): IpAddress | null {
  let body = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (body.includes("%")) return null; // zone ids name local interfaces: never a public target
  if (!/^[0-9a-f:.]+$/i.test(body) || !body.includes(":")) return null;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.slice(lastColon + 1).includes(".")) {
    const v4 = body.slice(lastColon + 1);
    if (!isCanonicalIpv4(v4)) return null;
    const bytes = v4.split(".").map(Number);
    tail.push((bytes[0] << 8) | bytes[1], (bytes[2] << 8) | bytes[3]);
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => half === "" ? [] : half.split(":");
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...head, ...rest];
  if (all.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return null;
  const numbers = all.map((group) => parseInt(group, 16));
  const needed = 8 - tail.length;
  let words: number[];
  if (halves.length === 2) {
    if (numbers.length >= needed) return null;
    words = [
      ...head.map((g) => parseInt(g, 16)),
      ...Array(needed - numbers.length).fill(0),
      ...rest.map((g) => parseInt(g, 16)),
    ];
  } else {
    if (numbers.length !== needed) return null;
    words = numbers;
  }
  words.push(...tail);
  return { version: 6, bytes: words.flatMap((word) => [word >> 8, word & 0xff]) };
}

/** An IPv4 (any inet_aton form) or IPv6 address; null when `text` is a host name. */
export function parseIp(text: string): IpAddress | null {
  return parseIpv6(text) ?? parseIpv4Loose(text);
}

/** Parses `10.0.0.0/8`, `fc00::/7` or a bare address (a network of one); null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addressText, prefixText, ...extra] = text.trim().split("/");
  if (extra.length > 0) return null;
  const address = parseIpv6(addressText) ??
    (isCanonicalIpv4(addressText) ? parseIpv4Loose(addressText) : null);
  if (!address) return null;
  const max = address.bytes.length * 8;
  if (prefixText === undefined) return { address, prefix: max };
  if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { address, prefix: Number(prefixText) };
}

/** Whether `address` lies in `network` (same IP version only). */
export function inCidr(address: IpAddress, network: Cidr): boolean {
  if (address.version !== network.address.version) return false;
  for (let bit = 0; bit < network.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((address.bytes[byte] & mask) !== (network.address.bytes[byte] & mask)) return false;
  }
  return true;
}

function networks(list: [string, string][]): { cidr: Cidr; reason: string }[] {
  return list.map(([text, reason]) => ({ cidr: parseCidr(text)!, reason }));
}

/** IPv4 networks a server-made request must not reach, with the reason a user reads. */
const blockedIpv4 = networks([
  ["0.0.0.0/8", "a 'this network' address"],
  ["10.0.0.0/8", "a private address"],
  ["100.64.0.0/10", "a carrier-grade NAT address"],
  ["127.0.0.0/8", "a loopback address"],
  ["169.254.0.0/16", "a link-local address (cloud metadata lives here)"],
  ["172.16.0.0/12", "a private address"],
  ["192.0.0.0/24", "a reserved address"],
  ["192.0.2.0/24", "a documentation address"],
  ["192.88.99.0/24", "a reserved relay address"],
  ["192.168.0.0/16", "a private address"],
  ["198.18.0.0/15", "a benchmarking address"],
  ["198.51.100.0/24", "a documentation address"],
  ["203.0.113.0/24", "a documentation address"],
  ["224.0.0.0/4", "a multicast address"],
  ["240.0.0.0/4", "a reserved address"],
]);

/** IPv6 networks refused even inside global unicast 2000::/3 (they embed or relay IPv4, or are test ranges). */
const blockedIpv6 = networks([
  ["::/128", "the unspecified address"],
  ["::1/128", "a loopback address"],
  ["::ffff:0:0/96", "an IPv4-mapped address"],
  ["::/96", "an IPv4-compatible address"],
  ["64:ff9b::/96", "a NAT64 address"],
  ["64:ff9b:1::/48", "a NAT64 address"],
  ["100::/64", "a discard address"],
  ["2001::/32", "a Teredo address"],
  ["2001:db8::/32", "a documentation address"],
  ["2002::/16", "a 6to4 address"],
  ["fc00::/7", "a unique-local address"],
  ["fe80::/10", "a link-local address"],
  ["fec0::/10", "a site-local address"],
  ["ff00::/8", "a multicast address"],
]);
const globalUnicast = parseCidr("2000::/3")!;

/**
 * Why a server-made request must not go to `address`, or null when it is a public address.
 * @example blockedReason(parseIp("169.254.169.254")!) // "a link-local address (cloud metadata lives here)"
 */
export function blockedReason(address: IpAddress): string | null {
  const list = address.version === 4 ? blockedIpv4 : blockedIpv6;
  const hit = list.find((entry) => inCidr(address, entry.cidr));
  if (hit) return hit.reason;
  if (address.version === 6 && !inCidr(address, globalUnicast)) return "a reserved address";
  return null;
}

/** Formats an address for connecting and messages (IPv6 without zero compression, which both accept). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4) return address.bytes.join(".");
  const words = [];
  for (let i = 0; i < 16; i += 2) words.push(((address.bytes[i] << 8) | address.bytes[i + 1]).toString(16));
  return words.join(":");
}

/** Parses comma-separated addresses and CIDRs (TRUSTED_PROXIES). Throws an Error naming a bad entry. */
export function parseCidrList(text: string): Cidr[] {
  return text.split(",").map((part) => part.trim()).filter(Boolean).map((entry) => {
    const network = parseCidr(entry);
    if (!network) throw new Error(`"${entry}" is not an address or a CIDR such as 10.0.0.0/8`);
    return network;
  });
}
