import assert from "node:assert/strict";
import type { LogFields, Logger } from "../../server/log.ts";
import { liveHub } from "../../server/http/sockets/mod.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { createToken, wsUrl } from "./_live_fixtures.ts";
import { eventually, openRawSocket } from "./_socket_clients.ts";

/** A logger keeping the lines at warn and above, for the test to read. */
function keepingLogger(kept: { level: string; message: string; fields?: LogFields }[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => kept.push({ level: "warn", message, fields }),
    error: (message, fields) => kept.push({ level: "error", message, fields }),
    child: () => logger,
  };
  return logger;
}

Deno.test("a live socket whose client goes away without a close frame is no error in the log", async () => {
  const kept: { level: string; message: string; fields?: LogFields }[] = [];
  const app = await startTestApp({ log: keepingLogger(kept) });
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
    assert.deepEqual(kept, []);
  } finally {
    await app.stop();
  }
});
