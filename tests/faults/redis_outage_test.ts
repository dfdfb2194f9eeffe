import { readInstallationId } from "../../server/auth/installation.ts";
import assert from "node:assert/strict";
import { createClient } from "redis";
import { createRedisKv } from "../../server/kv/mod.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { createToken, wsUrl } from "../live/_live_fixtures.ts";
import { openCollectingSocket } from "../live/_socket_clients.ts";
import { missingServerBinaries, startPrivateRedis, waitUntil } from "./_servers.ts";

interface ChannelMessage {
  channel: string;
  id: number;
  type: string;
  data: { id?: number; orderRef?: string };
}

const missing = missingServerBinaries();

Deno.test({
  name: `rate limits count in-process while Redis is away, and in Redis again once it is back${
    missing ? ` (skipped: ${missing})` : ""
  }`,
  ignore: missing !== undefined,
  async fn() {
    const redis = await startPrivateRedis();
    const kv = await createRedisKv(redis.url);
    try {
      const key = `limits-${crypto.randomUUID()}`;
      assert.equal((await kv.hit(key, 3, 60_000)).count, 1, "counted in Redis while it is up");
      await redis.stop();
      await assert.rejects(() => kv.ping(), "Redis is really gone");
      // Limits count in fixed one-minute windows: four hits straddling a minute would start afresh
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
      const offline = [];
      for (let i = 0; i < 4; i++) offline.push(await kv.hit(`${key}-offline`, 3, 60_000));
      assert.deepEqual(offline.map((result) => result.allowed), [true, true, true, false]);
      assert.ok(offline[3].retryAfterMs > 0, "a refused hit says when to come back");
      await redis.start();
      await waitUntil(async () => (await kv.ping()) >= 0, 10_000, "the client did not reconnect");
      // Redis restarted empty: the shared count starts again there
      assert.equal((await kv.hit(key, 3, 60_000)).count, 1);
    } finally {
      await kv.close();
      await redis.dispose();
    }
  },
});

Deno.test({
  name:
    `with Redis stopped mid-run the API keeps answering, /health says degraded, and live clients catch up${
      missing ? ` (skipped: ${missing})` : ""
    }`,
  ignore: missing !== undefined,
  async fn(t) {
    const redis = await startPrivateRedis();
    const app = await startTestApp({ env: { REDIS_URL: redis.url } });
    const sockets: { close(): Promise<void> }[] = [];
    try {
      const manager = await createToken(app.services, "manager");
      const viewer = await createToken(app.services, "viewer");
      const productId = await insertProduct(app.services.db.sql, { priceCents: 1000, stock: 500 });
      const customerId = await insertCustomer(app.services.db.sql);
      const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

      const sell = async (): Promise<number> => {
        const response = await app.fetch("/api/v1/transactions", {
          method: "POST",
          headers: { ...auth(manager), "Content-Type": "application/json" },
          body: JSON.stringify({ customerId, productId, quantity: 1, paymentMethod: "card" }),
        });
        assert.equal(response.status, 201, await response.clone().text());
        return (await response.json()).id;
      };

      const openFeed = async (lastEventId?: number) => {
        const query = lastEventId === undefined ? "" : `&lastEventId=${lastEventId}`;
        const socket = await openCollectingSocket(
          wsUrl(app.url, `/api/v1/ws/dashboard?channels=transactions${query}`),
          auth(viewer),
        );
        sockets.push(socket);
        return socket;
      };
      const sale = (transactionId: number) => (message: ChannelMessage) =>
        message.channel === "transactions" && message.data.id === transactionId;

      const live = await openFeed();
      const leaving = await openFeed();
      const before = await sell();
      const beforeEvent = await live.waitFor<ChannelMessage>(sale(before));
      await leaving.waitFor<ChannelMessage>(sale(before));
      // This client drops off before the outage and comes back after it, with the last id it saw
      await leaving.close();

      await redis.stop();

      await t.step("/health answers 200 degraded, naming the cache", async () => {
        const response = await app.fetch("/health");
        assert.equal(response.status, 200);
        const report = await response.json();
        assert.equal(report.status, "degraded");
        assert.equal(report.cache.ok, false);
        assert.equal(report.database.ok, true);
      });

      let duringOutage = 0;
      await t.step("reads and writes keep answering, uncached", async () => {
        for (
          const path of ["/api/v1/dashboard/overview", "/api/v1/products", "/api/v1/inventory/low-stock"]
        ) {
          const response = await app.fetch(path, { headers: auth(viewer) });
          assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
          assert.notEqual(response.headers.get("X-Cache"), "hit", `${path} is not served from a dead cache`);
          await response.body?.cancel();
        }
        duringOutage = await sell();
        const detail = await app.fetch(`/api/v1/transactions/${duringOutage}`, { headers: auth(viewer) });
        assert.equal(detail.status, 200);
        assert.equal((await detail.json()).id, duringOutage);
      });

      let outageEvent: ChannelMessage | undefined;
      await t.step(
        "a client connected to this instance still sees the sale made during the outage",
        async () => {
          outageEvent = await live.waitFor<ChannelMessage>(sale(duringOutage));
          assert.ok(outageEvent.id > beforeEvent.id, "ids keep increasing");
        },
      );

      await redis.start();

      await t.step("the instance reconnects by itself and /health is ok again", async () => {
        await waitUntil(
          async () => {
            const report = await (await app.fetch("/health")).json();
            return report.status === "ok";
          },
          15_000,
          "/health did not recover after Redis came back",
        );
      });

      await t.step("the bus re-subscribes: events published through the restarted Redis arrive", async () => {
        const publisher = createClient({ url: redis.url });
        await publisher.connect();
        try {
          const marker = `resubscribed-${crypto.randomUUID().slice(0, 8)}`;
          let attempt = 0;
          // The subscriber reconnects on its own schedule: publish until one arrives
          await waitUntil(
            async () => {
              await publisher.publish(
                // the app's KV is namespaced per installation (server/kv/namespaced.ts)
                `techmart:${await readInstallationId(app.services.db.sql)}:techmart:events`,
                JSON.stringify({
                  id: Date.now() * 100 + attempt++,
                  type: "transaction.created",
                  at: new Date().toISOString(),
                  data: {
                    id: 9_000_000 + attempt,
                    orderRef: marker,
                    status: "completed",
                    customerId,
                    totalCents: 100,
                    itemCount: 1,
                    fraudScore: 0,
                    fraudDecision: "allow",
                    items: [{ productId, quantity: 1 }],
                    createdAt: new Date().toISOString(),
                  },
                }),
              );
              await new Promise((resolve) => setTimeout(resolve, 100));
              return live.messages.some((m) => (m as ChannelMessage).data?.orderRef === marker);
            },
            15_000,
            "no event came through the restarted Redis",
          );
        } finally {
          await publisher.close();
        }
      });

      await t.step(
        "a sale after the restart reaches the client with a higher id, though Redis lost its counter",
        async () => {
          const after = await sell();
          const afterEvent = await live.waitFor<ChannelMessage>(sale(after));
          assert.ok(afterEvent.id > outageEvent!.id, `${afterEvent.id} > ${outageEvent!.id}`);
        },
      );

      await t.step(
        "a client that reconnects with its last event id gets the sale it missed, once",
        async () => {
          const back = await openFeed(beforeEvent.id);
          const missed = await back.waitFor<ChannelMessage>(sale(duringOutage));
          assert.equal(missed.id, outageEvent!.id);
          await new Promise((resolve) => setTimeout(resolve, 200));
          const copies = back.messages.filter((m) => sale(duringOutage)(m as ChannelMessage));
          assert.equal(copies.length, 1);
          assert.ok(!back.messages.some((m) => sale(before)(m as ChannelMessage)), "nothing already seen");
        },
      );
    } finally {
      for (const socket of sockets) await socket.close().catch(() => {});
      await app.stop();
      await redis.dispose();
    }
  },
});
