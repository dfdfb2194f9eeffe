import assert from "node:assert/strict";
import { checkOutboundUrl, parseOutboundAllowlist } from "./url_check.ts";

Deno.test("checkOutboundUrl() refuses every webhook target of the SSRF finding, with a reason", () => {
  const refused: [string, RegExp][] = [
    ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254, a link-local address/],
    ["http://10.0.0.1/", /10\.0\.0\.1, a private address/],
    ["http://[::1]:6379/", /\[::1\], a loopback address/],
    ["http://localhost:5432/", /localhost, a loopback address/],
    ["http://app.localhost/", /a loopback address/],
    ["http://0x7f000001/", /unusual form \(0x7f000001\): write it as 127\.0\.0\.1/],
    ["http://2130706433/", /unusual form/],
    ["http://0177.0.0.1/", /unusual form/],
    ["http://127.1/", /unusual form/],
    ["http://0x08080808/", /unusual form/],
    ["http://user:pass@127.0.0.1/", /user name or password/],
    ["http://user@hooks.example.com/", /user name or password/],
    ["http://172.20.0.5/", /a private address/],
    ["http://192.168.0.10/", /a private address/],
    ["http://100.64.1.1/", /carrier-grade NAT/],
    ["http://0.0.0.0:8000/", /'this network'/],
    ["http://[fd00::1]/", /unique-local/],
    ["http://[fe80::1]/", /link-local/],
    ["http://[::ffff:127.0.0.1]/", /IPv4-mapped/],
    ["http://[::ffff:a9fe:a9fe]/", /IPv4-mapped/],
    ["http://224.0.0.1/", /multicast/],
    ["ftp://hooks.example.com/", /Only http and https/],
    ["file:///etc/passwd", /Only http and https/],
    ["gopher://127.0.0.1:6379/_INFO", /Only http and https/],
    ["not a url", /not valid/],
  ];
  for (const [url, reason] of refused) {
    const check = checkOutboundUrl(url);
    assert.equal(check.ok, false, url);
    if (!check.ok) assert.match(check.reason, reason, url);
  }
  for (
    const url of [
      "https://hooks.slack.com/services/T0/B0/x",
      "http://8.8.8.8/hook",
      "https://[2606:4700::1]/",
    ]
  ) {
    assert.equal(checkOutboundUrl(url).ok, true, url);
  }
});

Deno.test("OUTBOUND_ALLOWLIST lets named hosts and networks through, and nothing next to them", () => {
  const allowlist = parseOutboundAllowlist(" hooks.internal , 10.1.2.0/24,127.0.0.1 ");
  assert.equal(checkOutboundUrl("http://hooks.internal:8080/x", allowlist).ok, true);
  assert.equal(checkOutboundUrl("http://10.1.2.9/", allowlist).ok, true);
  assert.equal(checkOutboundUrl("http://127.0.0.1:9999/", allowlist).ok, true);
  assert.equal(checkOutboundUrl("http://127.0.0.2/", allowlist).ok, false);
  assert.equal(checkOutboundUrl("http://10.1.3.1/", allowlist).ok, false);
  assert.equal(
    checkOutboundUrl("http://user:pass@127.0.0.1/", allowlist).ok,
    false,
    "userinfo stays refused",
  );
  assert.throws(() => parseOutboundAllowlist("10.0.0.0/40"), /neither a host name/);
  assert.throws(() => parseOutboundAllowlist("0x7f000001"), /unusual form/);
  assert.deepEqual(parseOutboundAllowlist(""), { hosts: [], networks: [] });
});
