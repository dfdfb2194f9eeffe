import assert from "node:assert/strict";
import { recordingLogger } from "../../server/testing/recording_logger.ts";
import { liveHub } from "../../server/http/sockets/mod.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { createToken, wsUrl } from "./_live_fixtures.ts";
import { eventually, openRawSocket } from "./_socket_clients.ts";

Deno.test("a live socket whose client goes away without a close frame is no error in the log", async () => {
  const log = recordingLogger();
  const app = await startTestApp({ log });
  try {
    const slots = liveHub(app.services).slots;
    const token = await createToken(app.services, "viewer");
    for (const path of ["/trpc", "/api/v1/ws/dashboard?channels=transactions"]) {
      // a raw TCP connection upgraded and then dropped, as a closed tab or a lost network leaves it
      const socket = await openRawSocket(wsUrl(app.url, path), { Authorization: `Bearer ${token}` });
      assert.equal(socket.status, 101, socket.head);
      await eventually(() => slots.count() === 1, 5_000, `${path}: the socket is open`);
      socket.close();
      await eventually(() => slots.count() === 0, 5_000, `${path}: the server saw it go`);
    }
    assert.deepEqual(log.lines.filter((line) => line.level === "error" || line.level === "warn"), []);
  } finally {
    await app.stop();
  }
});
