import assert from "node:assert/strict";
import { closeLiveHub } from "../../server/live/hub.ts";
import { recordingLogger } from "../../server/testing/recording_logger.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { createToken, publishSale, runTag, wsUrl } from "./_live_fixtures.ts";
import { openCollectingSocket, openRawSocket } from "./_socket_clients.ts";

const gaveUpWaiting = "stopping went on without waiting any longer";

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

Deno.test("a stop ends every live socket, whatever its state, without giving up on any step", async () => {
  const log = recordingLogger();
  const app = await startTestApp({ log });
  let stopped = false;
  try {
    const auth = { Authorization: `Bearer ${await createToken(app.services, "viewer")}` };
    const dashboard = "/api/v1/ws/dashboard?channels=transactions";
    // open: a dashboard socket that reads everything
    const open = await openCollectingSocket(wsUrl(app.url, dashboard), auth);
    // subscribed: a tRPC socket with a running subscription
    const subscribed = await openCollectingSocket(wsUrl(app.url, "/trpc"), auth);
    subscribed.socket.send(JSON.stringify({
      id: 1,
      method: "subscription",
      params: { path: "dashboard.onMetrics", input: {} },
    }));
    await subscribed.waitFor((message: { id?: number }) => message.id === 1);
    // mid-close: the client sent its Close frame and reads no answer
    const midClose = await openRawSocket(wsUrl(app.url, "/trpc"), auth);
    await midClose.sendClose(1000);
    // peer gone: the connection ended without a Close frame
    const gone = await openRawSocket(wsUrl(app.url, dashboard), auth);
    gone.close();
    // stalled: never reads while sales keep coming
    const stalled = await openRawSocket(wsUrl(app.url, dashboard), auth);
    const tag = runTag();
    for (let index = 0; index < 200; index++) await publishSale(app.services, tag, index, { padding: 4_000 });
    assert.deepEqual([midClose.status, gone.status, stalled.status], [101, 101, 101]);

    await app.stop();
    stopped = true;
    assert.deepEqual(log.lines.filter((line) => line.message === gaveUpWaiting), []);
    assert.equal((await open.closed).code, 1001);
    assert.equal((await subscribed.closed).code, 1001);
    midClose.close();
    stalled.close();
  } finally {
    if (!stopped) await app.stop();
  }
});

Deno.test("a socket asked for once the stop has begun is refused with 503, not left to Deno's shutdown", async () => {
  const log = recordingLogger();
  const app = await startTestApp({ log });
  let stopped = false;
  try {
    const auth = { Authorization: `Bearer ${await createToken(app.services, "viewer")}` };
    // The stop's first step, as an upgrade still in the middleware chain would find it
    closeLiveHub(app.services);
    for (const path of ["/trpc", "/api/v1/ws/dashboard?channels=transactions"]) {
      const late = await openRawSocket(wsUrl(app.url, path), auth);
      assert.equal(late.status, 503, late.head);
      assert.match(late.head, /shutting down/);
      late.close();
    }
    await app.stop();
    stopped = true;
    assert.deepEqual(log.lines.filter((line) => line.message === gaveUpWaiting), []);
  } finally {
    if (!stopped) await app.stop();
  }
});
