// The "Low" findings of issue #13, attacked as the review did.
import assert from "node:assert/strict";
import {
  insertRoleUsers,
  sessionFrom,
  signInOverHttp,
  startAuthTestApp,
} from "../../server/auth/_auth_fixtures.ts";
import { fixturePassword } from "../../server/auth/_auth_fixtures.ts";
import { site } from "../../fresh.config.ts";
import { createApp } from "../../server/app/app.tsx";
import { cachedHealth } from "../../server/health/check.ts";
import type { IslandManifest } from "../../server/islands/build.ts";
import { openTestServices } from "../../server/testing/test_services.ts";

Deno.test({
  name: "low findings: forged cursor, audit address, __Host- cookie, cached health (issue #13 finding 9)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await t.step("a forged cursor with an infinite timestamp is a 400, not a 500", async () => {
      const app = await startAuthTestApp();
      try {
        const session = await signInOverHttp(app, "viewer");
        const cursor = btoa(JSON.stringify({ s: "created:desc", k: ["infinity", 1] }))
          .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
        const response = await app.fetch(`/api/v1/transactions?cursor=${cursor}`, {
          headers: session.headers(),
        });
        assert.equal(response.status, 400, await response.clone().text());
        await response.body?.cancel();
      } finally {
        await app.stop();
      }
    });

    await t.step("a token created over REST is audited with the client's address", async () => {
      const test = await openTestServices();
      try {
        await insertRoleUsers(test.services);
        const app = createApp(test.services, { manifest: () => ({}) as IslandManifest, site });
        // Hono hands `env` to the handlers as Deno.serve would: the peer's address
        const env = { remoteAddr: { hostname: "203.0.113.9", port: 40000, transport: "tcp" } };
        const login = await app.request("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "admin", password: fixturePassword }),
        }, env);
        assert.equal(login.status, 200);
        const session = sessionFrom(login.headers.getSetCookie(), (await login.json()).csrfToken);
        const created = await app.request("/api/v1/auth/tokens", {
          method: "POST",
          headers: session.headers(),
          body: JSON.stringify({ name: "audited", role: "viewer" }),
        }, env);
        assert.equal(created.status, 201, await created.clone().text());
        const [row] = await test.services.db.sql`select ip from audit_log where action = 'token.created'`;
        assert.equal(row.ip, "203.0.113.9");
      } finally {
        await test.close();
      }
    });

    await t.step("behind https the session cookie is __Host- and a bare one is not read", async () => {
      const app = await startAuthTestApp({ PUBLIC_URL: "https://shop.example" });
      try {
        const login = await app.fetch("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "viewer", password: fixturePassword }),
        });
        const line = login.headers.getSetCookie().find((cookie) =>
          cookie.startsWith("__Host-techmart_session=")
        );
        assert.ok(line, login.headers.getSetCookie().join(" | "));
        assert.match(line, /; Secure/);
        await login.body?.cancel();
        const token = line.split(";")[0].split("=")[1];
        const me = async (cookie: string) =>
          (await app.fetch("/api/v1/auth/me", { headers: { cookie } })).json();
        assert.equal((await me(`__Host-techmart_session=${token}`))?.username, "viewer");
        assert.equal(await me(`techmart_session=${token}`), null);
      } finally {
        await app.stop();
      }
    });

    await t.step("/health asks the database at most once per second however often it is called", async () => {
      const test = await openTestServices();
      try {
        const first = cachedHealth(test.services);
        assert.equal(cachedHealth(test.services), first, "a second probe reuses the first check");
        assert.equal((await first).status === "down", false);
      } finally {
        await test.close();
      }
    });
  },
});
