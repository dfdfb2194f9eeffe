import assert from "node:assert/strict";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp } from "../testing/test_app.ts";
import { insertCustomers, insertProduct } from "../transactions/transactions_fixtures.ts";

/**
 * One HTTP/1.1 request over a bare socket, so the only `Request` objects in this process are the app's
 * own; answers the status line. A body without `length` is sent chunked (it declares no length).
 */
async function rawRequest(
  url: string,
  head: { method: string; path: string; headers?: Record<string, string> },
  body?: { text: string; chunked?: boolean },
): Promise<string> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  try {
    const headers = { host: target.host, connection: "close", ...head.headers };
    let payload = "";
    if (body && body.chunked) {
      Object.assign(headers, { "transfer-encoding": "chunked" });
      payload = `${new TextEncoder().encode(body.text).length.toString(16)}\r\n${body.text}\r\n0\r\n\r\n`;
    } else if (body) {
      Object.assign(headers, { "content-length": String(new TextEncoder().encode(body.text).length) });
      payload = body.text;
    }
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
    await conn.write(
      new TextEncoder().encode(`${head.method} ${head.path} HTTP/1.1\r\n${lines}\r\n${payload}`),
    );
    const answer = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    return answer.split("\r\n")[0];
  } catch (error) {
    conn.close();
    throw error;
  }
}

// Deno.serve makes a request's AbortSignal when something first reads `request.signal` (and Deno 2.9 warned
// that, by its legacy behaviour, it aborts after successful answers). Nothing on the REST and page paths
// needs it: the body limit's copy of a request and the bridge to trpc-to-openapi used to read it on every
// request down the chain. (`/trpc` still reads it: tRPC's fetch adapter stops a batch's calls with it when
// the client goes away; see docs/performance.md, Session 8.)
Deno.test("the REST and page paths never read a served request's signal", async () => {
  let manager = "", customerId = 0, productId = 0;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    prepare: async (services) => {
      const sql = services.db.sql;
      manager = (await insertApiToken(sql, { name: "signal-till", role: "manager", createdBy: 0 })).token;
      [customerId] = await insertCustomers(sql, 1);
      productId = await insertProduct(sql, { name: "Cable", priceCents: 999, stock: 50 });
    },
  });
  const signal = Object.getOwnPropertyDescriptor(Request.prototype, "signal")!;
  const reads: string[] = [];
  let current = "";
  Object.defineProperty(Request.prototype, "signal", {
    ...signal,
    get() {
      reads.push(current);
      return signal.get!.call(this);
    },
  });
  try {
    const auth = { authorization: `Bearer ${manager}` };
    const json = { ...auth, "content-type": "application/json" };
    const sale = JSON.stringify({ customerId, items: [{ productId, quantity: 1 }], paymentMethod: "card" });
    const requests: [string, Parameters<typeof rawRequest>[1], Parameters<typeof rawRequest>[2]?][] = [
      ["401", { method: "GET", path: "/api/v1/dashboard/overview" }],
      ["REST read (chain)", { method: "GET", path: "/api/v1/products?limit=5", headers: auth }],
      ["sale (fast lane)", { method: "POST", path: "/api/v1/transactions", headers: json }, { text: sale }],
      ["sale (chain: no declared length)", { method: "POST", path: "/api/v1/transactions", headers: json }, {
        text: sale,
        chunked: true,
      }],
      ["write without a body", { method: "POST", path: "/api/v1/alerts", headers: auth }, {
        text: "",
      }],
      ["page", { method: "GET", path: "/login" }],
    ];
    for (const [name, head, body] of requests) {
      current = name;
      const status = await rawRequest(app.url, head, body);
      assert.match(status, /^HTTP\/1\.1 [2-4]\d\d/, `${name}: ${status}`);
    }
    assert.deepEqual(reads, []);
  } finally {
    Object.defineProperty(Request.prototype, "signal", signal);
    await app.stop();
  }
});
