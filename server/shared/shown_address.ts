/** A service's address (DATABASE_URL, REDIS_URL) as it may be shown in a message: a password in it is hidden. */
export function shownAddress(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "the address given";
  }
}

/**
 * The address a person opens to reach a server listening on `hostname`: the "every interface" addresses
 * (0.0.0.0, ::, as in the Docker image) are no place a browser can open (Chrome refuses 0.0.0.0), so their
 * family's loopback stands for them; IPv6 addresses go in brackets.
 * @example openableUrl("0.0.0.0", 8000) // "http://127.0.0.1:8000"
 */
export function openableUrl(hostname: string, port: number): string {
  const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname === "::" ? "::1" : hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
