import assert from "node:assert/strict";
import { startTestApp } from "../../server/testing/test_app.ts";
import { createToken, wsUrl } from "./_live_fixtures.ts";
import { openCollectingSocket } from "./_socket_clients.ts";

Deno.test("stopping the app closes open live sockets with 1001 instead of waiting on them", async () => {
  const app = await startTestApp();
  let stopped = false;
  try {
    const token = await createToken(app.services, "viewer");
    const client = await openCollectingSocket(wsUrl(app.url, "/api/v1/ws/dashboard?channels=transactions"), {
      Authorization: `Bearer ${token}`,
    });
    await app.stop();
    stopped = true;
    const closed = await client.closed;
    assert.equal(closed.code, 1001);
    assert.match(closed.reason, /shutting down/);
  } finally {
    if (!stopped) await app.stop();
  }
});
