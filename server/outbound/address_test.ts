import assert from "node:assert/strict";
import { blockedReason, formatIp, inCidr, parseCidr, parseIp, parseIpv4Loose, parseIpv6 } from "./address.ts";

Deno.test("parseIpv4Loose() reads every inet_aton form, so odd encodings cannot hide an address", () => {
  const cases: [string, string | null][] = [
    ["127.0.0.1", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["10.1", "10.0.0.1"],
    ["0xa9.254.169.254", "169.254.169.254"],
    ["192.168.257", "192.168.1.1"],
    ["0", "0.0.0.0"],
    ["256.0.0.1", null],
    ["4294967296", null],
    ["1.2.3.4.5", null],
    ["08.0.0.1", null],
    ["example.com", null],
    ["", null],
  ];
  for (const [text, expected] of cases) {
    const parsed = parseIpv4Loose(text);
    assert.equal(parsed ? formatIp(parsed) : null, expected, text);
  }
});

Deno.test("parseIpv6() reads compressed forms and IPv4 tails, and refuses malformed ones", () => {
  const cases: [string, string | null][] = [
    ["::1", "0:0:0:0:0:0:0:1"],
    ["[::1]", "0:0:0:0:0:0:0:1"],
    ["::", "0:0:0:0:0:0:0:0"],
    ["::ffff:127.0.0.1", "0:0:0:0:0:ffff:7f00:1"],
    ["::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:1"],
    ["::127.0.0.1", "0:0:0:0:0:0:7f00:1"],
    ["fe80::1", "fe80:0:0:0:0:0:0:1"],
    ["2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:1"],
    ["1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"],
    ["fe80::1%eth0", null],
    ["1::2::3", null],
    ["1:2:3:4:5:6:7:8:9", null],
    ["12345::", null],
    ["127.0.0.1", null],
  ];
  for (const [text, expected] of cases) {
    const parsed = parseIpv6(text);
    assert.equal(parsed ? formatIp(parsed) : null, expected, text);
  }
});

Deno.test("blockedReason() refuses every internal, local and reserved range and allows public addresses", () => {
  const cases: [string, string | null][] = [
    ["127.0.0.1", "a loopback address"],
    ["127.255.255.254", "a loopback address"],
    ["10.0.0.1", "a private address"],
    ["172.16.0.1", "a private address"],
    ["172.31.255.255", "a private address"],
    ["172.32.0.1", null],
    ["192.168.1.1", "a private address"],
    ["100.64.0.1", "a carrier-grade NAT address"],
    ["100.128.0.1", null],
    ["169.254.169.254", "a link-local address (cloud metadata lives here)"],
    ["0.0.0.0", "a 'this network' address"],
    ["224.0.0.1", "a multicast address"],
    ["255.255.255.255", "a reserved address"],
    ["198.18.0.1", "a benchmarking address"],
    ["8.8.8.8", null],
    ["93.184.215.14", null],
    ["::1", "a loopback address"],
    ["::", "the unspecified address"],
    ["::ffff:127.0.0.1", "an IPv4-mapped address"],
    ["::ffff:8.8.8.8", "an IPv4-mapped address"],
    ["::127.0.0.1", "an IPv4-compatible address"],
    ["fc00::1", "a unique-local address"],
    ["fd12:3456::1", "a unique-local address"],
    ["fe80::1", "a link-local address"],
    ["ff02::1", "a multicast address"],
    ["64:ff9b::7f00:1", "a NAT64 address"],
    ["2002:7f00:1::", "a 6to4 address"],
    ["2001:db8::1", "a documentation address"],
    ["4000::1", "a reserved address"],
    ["2606:4700:4700::1111", null],
  ];
  for (const [text, expected] of cases) assert.equal(blockedReason(parseIp(text)!), expected, text);
});

Deno.test("parseCidr() and inCidr() match networks of either version, and only that version", () => {
  const net = parseCidr("10.1.2.0/24")!;
  assert.ok(inCidr(parseIp("10.1.2.200")!, net));
  assert.ok(!inCidr(parseIp("10.1.3.1")!, net));
  assert.ok(inCidr(parseIp("127.0.0.1")!, parseCidr("127.0.0.1")!));
  assert.ok(!inCidr(parseIp("127.0.0.2")!, parseCidr("127.0.0.1")!));
  assert.ok(inCidr(parseIp("fd00::5")!, parseCidr("fd00::/8")!));
  assert.ok(!inCidr(parseIp("::ffff:10.1.2.3")!, net), "an IPv6 address never matches an IPv4 network");
  assert.ok(inCidr(parseIp("8.8.8.8")!, parseCidr("0.0.0.0/0")!));
  for (const bad of ["10.0.0.0/33", "10.0.0.0/x", "0x0a.0.0.0/8", "nope/8", "1.2.3.4/8/9"]) {
    assert.equal(parseCidr(bad), null, bad);
  }
});
