import assert from "node:assert/strict";
import { cardKey, deviceKey, emailDomain, ipKey, isIpv6, parseIpv4 } from "./identity.ts";

Deno.test("ipKey canonicalises dotted IPv4, IPv6 and IPv4 written as a number", () => {
  assert.equal(ipKey(" 10.0.0.1 "), "10.0.0.1");
  assert.equal(ipKey("732758368.79"), "43.173.1.96");
  assert.equal(ipKey("0"), "0.0.0.0");
  assert.equal(ipKey("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  assert.equal(ipKey(""), undefined);
  assert.equal(ipKey(undefined), undefined);
});

Deno.test("ipKey keeps an unparseable value as an opaque key instead of rejecting it", () => {
  assert.equal(ipKey("Proxy-7"), "proxy-7");
  assert.equal(ipKey("999.1.1.1"), "999.1.1.1");
  assert.equal(ipKey("99999999999"), "99999999999");
});

Deno.test("parseIpv4 and isIpv6 validate addresses", () => {
  assert.equal(parseIpv4("192.168.1.300"), null);
  assert.equal(parseIpv4("192.168.001.3"), "192.168.1.3");
  assert.equal(isIpv6("::1"), true);
  assert.equal(isIpv6("1:2:3"), false);
  assert.equal(isIpv6("10.0.0.1"), false);
});

Deno.test("emailDomain and cardKey", () => {
  assert.equal(emailDomain("Ann@Example.COM"), "example.com");
  assert.equal(emailDomain("no-at-sign"), undefined);
  assert.equal(cardKey("411111", "1234"), "411111:1234");
  assert.equal(cardKey(undefined, "1234"), undefined);
});

Deno.test("a device links by its trimmed id; a blank one links nothing", () => {
  assert.equal(deviceKey("  QVPSPJUOCKZAR "), "QVPSPJUOCKZAR");
  assert.equal(deviceKey("   "), undefined);
  assert.equal(deviceKey(null), undefined);
  assert.equal(deviceKey(undefined), undefined);
});
