// Finding 1 across instances: a token revoked through instance A stops working on instance B
// within a second, for HTTP (B's cache of callers is emptied) and for B's open sockets (closed).
import assert from "node:assert/strict";
import { signInOverHttp, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";
import { wsUrl } from "../live/_live_fixtures.ts";
import { closedWithin, errorCodeOf, openTrpcSocket } from "./_trpc_socket.ts";

// Two instances share one database and one bus only with PostgreSQL and Redis
const shared = Deno.env.get("DATABASE_URL") && Deno.env.get("REDIS_URL");

Deno.test({
  name: "a revocation on one instance ends the token on the other within a second",
  ignore: !shared,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const a = await startAuthTestApp();
    let b: TestApp | undefined;
    try {
      b = await startTestApp({ env: { DATABASE_URL: a.services.db.url! } });
      const admin = await signInOverHttp(a, "admin");
      const created = await a.fetch("/api/v1/auth/tokens", {
        method: "POST",
        headers: admin.headers(),
        body: JSON.stringify({ name: "cross-instance", role: "admin" }),
      });
      assert.equal(created.status, 201);
      const { id, token } = await created.json() as { id: number; token: string };
      const bearer = { authorization: `Bearer ${token}` };
      // B has now cached the token as valid
      assert.equal((await b.fetch("/api/v1/users", { headers: bearer })).status, 200);
      const socket = await openTrpcSocket(wsUrl(b.url, `/trpc?access_token=${token}`));
      assert.equal(errorCodeOf(await socket.call("query", "auth.me")), undefined);

      const revoked = await a.fetch(`/api/v1/auth/tokens/${id}`, {
        method: "DELETE",
        headers: admin.headers(),
      });
      assert.equal(revoked.status, 200);
      assert.equal((await closedWithin(socket.closed, 1_000)).code, 4401);
      const appB = b;
      let status = 0;
      const poll = async () => {
        const deadline = Date.now() + 1_000;
        while (Date.now() < deadline) {
          const response = await appB.fetch("/api/v1/users", { headers: bearer });
          await response.body?.cancel();
          status = response.status;
          if (status === 401) return;
        }
      };
      await poll();
      assert.equal(status, 401, "the revoked token still worked on B a second later");
    } finally {
      await b?.stop();
      await a.stop();
    }
  },
});
