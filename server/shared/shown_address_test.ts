import assert from "node:assert/strict";
import { openableUrl, shownAddress } from "./shown_address.ts";

Deno.test("openableUrl: every-interface addresses become their loopback, IPv6 in brackets", () => {
  assert.equal(openableUrl("0.0.0.0", 8000), "http://127.0.0.1:8000");
  assert.equal(openableUrl("::", 8000), "http://[::1]:8000");
  assert.equal(openableUrl("127.0.0.2", 9000), "http://127.0.0.2:9000");
  assert.equal(openableUrl("::1", 80), "http://[::1]:80");
  assert.equal(openableUrl("localhost", 3000), "http://localhost:3000");
});

Deno.test("shownAddress: a password is hidden, the rest kept; no address is never echoed", () => {
  assert.equal(shownAddress("redis://:secret@cache:6379"), "redis://:***@cache:6379");
  assert.equal(shownAddress("postgres://app@db:5432/shop"), "postgres://app@db:5432/shop");
  assert.equal(shownAddress("not a url"), "the address given");
});
