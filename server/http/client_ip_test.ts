import assert from "node:assert/strict";
import { forwardedClientIp, parseTrustedProxies } from "./client_ip.ts";

Deno.test("forwardedClientIp() believes X-Forwarded-For only as far as trusted proxies wrote it", () => {
  const trusted = parseTrustedProxies("10.0.0.0/8, 127.0.0.1");
  const cases: [string, string | undefined, string][] = [
    ["203.0.113.9", "1.2.3.4", "203.0.113.9"], // not from a proxy: the header is the client's own words
    ["127.0.0.1", undefined, "127.0.0.1"],
    ["127.0.0.1", "203.0.113.9", "203.0.113.9"],
    ["10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3", "203.0.113.9"], // the forged left part is ignored
    ["10.0.0.2", "10.0.0.5, 10.0.0.3", "10.0.0.5"],
    ["10.0.0.2", "junk, 203.0.113.9", "203.0.113.9"],
    ["10.0.0.2", "203.0.113.9, junk", "10.0.0.2"], // a proxy wrote junk: stop at the proxy
    ["127.0.0.1", "[2001:db8::1]", "2001:db8:0:0:0:0:0:1"],
  ];
  for (const [peer, header, expected] of cases) {
    assert.equal(forwardedClientIp(peer, header, trusted), expected, `${peer} ${header}`);
  }
  assert.equal(
    forwardedClientIp("127.0.0.1", "203.0.113.9", []),
    "127.0.0.1",
    "no trusted proxies: the peer",
  );
  assert.throws(() => parseTrustedProxies("10.0.0.0/8, proxy.local"), /"proxy.local" is not an address/);
});
