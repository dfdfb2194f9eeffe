import assert from "node:assert/strict";
import { type OriginPolicy, originRefusal } from "./origin.ts";

const policy: OriginPolicy = {
  ownOrigin: "http://127.0.0.1:8000",
  publicUrl: "https://shop.example.com/",
  corsOrigins: "https://partner.example.org, https://ops.example.net",
};

Deno.test("originRefusal() lets the app's own origin and its public URL connect with a cookie", () => {
  assert.equal(originRefusal("http://127.0.0.1:8000", "cookie", policy), null);
  assert.equal(originRefusal("https://shop.example.com", "cookie", policy), null);
});

Deno.test("originRefusal() refuses a foreign page riding on the session cookie", () => {
  assert.match(originRefusal("https://evil.example", "cookie", policy)!, /evil\.example is not allowed/);
  assert.match(originRefusal("https://evil.example", "token", policy)!, /not allowed/);
});

Deno.test("originRefusal() lets a CORS origin connect with a token but not with a cookie", () => {
  assert.equal(originRefusal("https://ops.example.net", "token", policy), null);
  assert.match(originRefusal("https://ops.example.net", "cookie", policy)!, /token only/);
});

Deno.test("originRefusal() accepts programs that send no Origin", () => {
  assert.equal(originRefusal(null, "token", { ownOrigin: "http://localhost:1", corsOrigins: "" }), null);
});
