import assert from "node:assert/strict";
import { startTestApp } from "../testing/test_app.ts";

Deno.test("the app", async (t) => {
  const app = await startTestApp();
  try {
    await t.step("GET /health answers 200 with the database, cache and schema version", async () => {
      const response = await app.fetch("/health");
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.status, "ok");
      assert.equal(body.database.ok, true);
      assert.ok(body.migrationVersion >= 3);
      assert.equal(typeof body.uptimeSeconds, "number");
    });

    await t.step("responses carry secure headers and a request id", async () => {
      const response = await app.fetch("/health");
      await response.body?.cancel();
      assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self' 'nonce-/);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.ok(response.headers.get("x-request-id"));
    });

    await t.step(
      "the API's answers carry the headers of a response never rendered as a document",
      async () => {
        const response = await app.fetch("/api/v1/health");
        await response.body?.cancel();
        assert.equal(
          response.headers.get("content-security-policy"),
          "default-src 'none'; frame-ancestors 'none'",
        );
        assert.equal(response.headers.get("x-frame-options"), "DENY");
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        assert.ok(response.headers.get("strict-transport-security"));
        assert.equal(response.headers.get("cross-origin-resource-policy"), "same-origin");
        // the document-only headers stay on the pages
        assert.equal(response.headers.get("cross-origin-opener-policy"), null);
        const page = await app.fetch("/health");
        await page.body?.cancel();
        assert.equal(page.headers.get("cross-origin-opener-policy"), "same-origin");
      },
    );

    await t.step("an unknown API route is a JSON 404", async () => {
      const response = await app.fetch("/nope");
      assert.equal(response.status, 404);
      assert.equal((await response.json()).error.code, "NOT_FOUND");
    });

    await t.step("a body over the limit is refused with 413 before it is read", async () => {
      const response = await app.fetch("/trpc/health.check", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "x".repeat(2 * 1024 * 1024),
      });
      assert.equal(response.status, 413);
      await response.body?.cancel();
    });
  } finally {
    await app.stop();
  }
});

Deno.test("GET /health answers 503 when the database is down", async () => {
  const app = await startTestApp();
  try {
    // Closing the pool is what an outage looks like from the app: every query fails
    await app.services.db.sql.end({ timeout: 1 });
    const response = await app.fetch("/health");
    assert.equal(response.status, 503);
    const body = await response.json();
    assert.equal(body.status, "down");
    assert.equal(body.database.ok, false);
  } finally {
    await app.stop();
  }
});

Deno.test("a port another program holds stops the start with words naming it and what to do", async () => {
  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (holder.addr as Deno.NetAddr).port;
  try {
    await assert.rejects(
      () => startTestApp({ env: { HOST: "127.0.0.1", PORT: String(port) } }),
      new RegExp(`^Error: port ${port} on 127\\.0\\.0\\.1 is already in use .*set PORT to another port$`),
    );
  } finally {
    holder.close();
  }
});
