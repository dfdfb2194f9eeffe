import assert from "node:assert/strict";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { liveHub } from "../../server/http/sockets/mod.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import type { AppRouter } from "../../server/api/app_router.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { createToken, orderRefOf, publishSale, runTag, wsUrl } from "./_live_fixtures.ts";
import { openCollectingSocket, openRawSocket } from "./_socket_clients.ts";

interface ChannelMessage {
  channel: string;
  id: number;
  type: string;
  data: Record<string, unknown>;
}

Deno.test("live sockets on one instance", async (t) => {
  const app = await startTestApp({ env: { LIVE_MAX_SOCKETS_PER_USER: "3" } });
  const { services } = app;
  try {
    const viewer = await createToken(services, "viewer");
    const dashboard = (query: string) => wsUrl(app.url, `/api/v1/ws/dashboard${query}`);

    await t.step("an unauthenticated socket is refused before it opens", async () => {
      for (const path of ["/api/v1/ws/dashboard?channels=transactions", "/trpc"]) {
        const anonymous = await openRawSocket(wsUrl(app.url, path));
        anonymous.close();
        assert.equal(anonymous.status, 401, anonymous.head);
        const wrongToken = await openRawSocket(wsUrl(app.url, path), {
          Authorization: "Bearer tm_not-a-token",
        });
        wrongToken.close();
        assert.equal(wrongToken.status, 401, wrongToken.head);
      }
      const foreign = await openRawSocket(dashboard(`?access_token=${viewer}`), {
        Origin: "https://evil.example",
      });
      foreign.close();
      assert.equal(foreign.status, 403, foreign.head);
      const unknownChannel = await openRawSocket(dashboard(`?channels=gossip&access_token=${viewer}`));
      unknownChannel.close();
      assert.equal(unknownChannel.status, 400, unknownChannel.head);
    });

    await t.step("a socket authenticates with a bearer header or an access_token parameter", async () => {
      const tag = runTag();
      const byHeader = await openCollectingSocket(dashboard("?channels=transactions"), {
        Authorization: `Bearer ${viewer}`,
      });
      const byQuery = await openCollectingSocket(dashboard(`?channels=transactions&access_token=${viewer}`));
      try {
        const event = await publishSale(services, tag, 1);
        for (const client of [byHeader, byQuery]) {
          const message = await client.waitFor<ChannelMessage>((m) => orderRefOf(m) === `${tag}-1`);
          assert.equal(message.channel, "transactions");
          assert.equal(message.id, event.id);
          assert.equal(message.data.id, 1_000_001, "data.id is the transaction's id");
        }
      } finally {
        await byHeader.close();
        await byQuery.close();
      }
    });

    await t.step(
      "a client that disconnects, misses three events and reconnects gets exactly those three",
      async () => {
        const tag = runTag();
        const first = await openCollectingSocket(dashboard(`?channels=transactions&access_token=${viewer}`));
        const seen = await publishSale(services, tag, 0);
        await first.waitFor((m) => orderRefOf(m) === `${tag}-0`);
        await first.close();

        const missed = [];
        for (const index of [1, 2, 3]) missed.push(await publishSale(services, tag, index));

        const again = await openCollectingSocket(
          dashboard(`?channels=transactions&lastEventId=${seen.id}&access_token=${viewer}`),
        );
        try {
          await publishSale(services, tag, 4);
          await again.waitFor((m) => orderRefOf(m) === `${tag}-4`);
          const mine = (again.messages as ChannelMessage[]).filter((m) =>
            orderRefOf(m)?.startsWith(`${tag}-`)
          );
          assert.deepEqual(mine.map((m) => orderRefOf(m)), [`${tag}-1`, `${tag}-2`, `${tag}-3`, `${tag}-4`]);
          assert.deepEqual(mine.slice(0, 3).map((m) => m.id), missed.map((e) => e.id));
        } finally {
          await again.close();
        }
      },
    );

    await t.step(
      "a tRPC subscription resumed with its last event id gets exactly the missed events",
      async () => {
        const tag = runTag();
        const seen = await publishSale(services, tag, 0);
        for (const index of [1, 2, 3]) await publishSale(services, tag, index);
        const wsClient = createWSClient({ url: wsUrl(app.url, `/trpc?access_token=${viewer}`) });
        const client = createTRPCClient<AppRouter>({
          links: [wsLink({ client: wsClient, transformer: superjson })],
        });
        const received: { id: string; orderRef: string | null }[] = [];
        let done!: () => void;
        const four = new Promise<void>((resolve) => done = resolve);
        const subscription = client.transactions.onCreated.subscribe({ lastEventId: String(seen.id) }, {
          onData(envelope) {
            if (!envelope.data.orderRef?.startsWith(`${tag}-`)) return;
            received.push({ id: envelope.id, orderRef: envelope.data.orderRef });
            if (received.length === 4) done();
          },
        });
        try {
          // the live event comes after the replayed ones
          await new Promise((resolve) => setTimeout(resolve, 100));
          const live = await publishSale(services, tag, 4);
          await four;
          assert.deepEqual(received.map((r) => r.orderRef), [1, 2, 3, 4].map((i) => `${tag}-${i}`));
          assert.equal(received[3].id, String(live.id));
        } finally {
          subscription.unsubscribe();
          await wsClient.close();
        }
      },
    );

    await t.step("a stalled client is cut off with a reason while another keeps receiving", async () => {
      const tag = runTag();
      const stalled = await openRawSocket(dashboard(`?channels=transactions&access_token=${viewer}`));
      assert.equal(stalled.status, 101, stalled.head);
      const healthy = await openCollectingSocket(dashboard(`?channels=transactions&access_token=${viewer}`));
      const cutBefore = liveHub(services).stats.slowClientsClosed;
      try {
        // 160 events of 64 KiB: more than the kernel's socket buffers and the 1 MiB bound together. The
        // healthy client reads each one before the next goes out, as a client keeping up does
        const count = 160;
        for (let index = 0; index < count; index++) {
          await publishSale(services, tag, index, { padding: 64 * 1024 });
          await healthy.waitFor((m) => orderRefOf(m)?.startsWith(`${tag}-${index}x`) ?? false);
        }
        const mine = healthy.messages.filter((m) => orderRefOf(m)?.startsWith(`${tag}-`));
        assert.equal(mine.length, count, "the healthy client got every event");
        assert.equal(liveHub(services).stats.slowClientsClosed, cutBefore + 1);
        const closing = await stalled.readUntilClose();
        assert.equal(closing.code, 1008);
        assert.match(closing.reason, /Too slow/);
        assert.ok(
          closing.dataFrames < count,
          `the stalled client was not sent everything (${closing.dataFrames})`,
        );
      } finally {
        stalled.close();
        await healthy.close();
      }
    });

    await t.step("one user cannot hold more sockets than the limit", async () => {
      const limited = await createToken(services, "viewer", "limited");
      const open = [];
      try {
        for (let i = 0; i < 3; i++) {
          open.push(await openCollectingSocket(dashboard(`?channels=alerts&access_token=${limited}`)));
        }
        const extra = await openRawSocket(dashboard(`?channels=alerts&access_token=${limited}`));
        extra.close();
        assert.equal(extra.status, 429, extra.head);
        assert.match(extra.head, /Too many live sockets/);
        await open.pop()!.close();
        // the slot is free once the server has seen the close
        let reopened;
        for (let attempt = 0; attempt < 50 && !reopened; attempt++) {
          const probe = await openRawSocket(dashboard(`?channels=alerts&access_token=${limited}`));
          probe.close();
          if (probe.status === 101) reopened = true;
          else await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.ok(reopened);
      } finally {
        for (const socket of open) await socket.close();
      }
    });

    await t.step("a real sale reaches the transactions channel and moves the dashboard figures", async () => {
      const manager = await createToken(services, "manager");
      const productId = await insertProduct(services.db.sql, { priceCents: 2500, stock: 50 });
      const customerId = await insertCustomer(services.db.sql);
      const wsClient = createWSClient({ url: wsUrl(app.url, `/trpc?access_token=${viewer}`) });
      const client = createTRPCClient<AppRouter>({
        links: [wsLink({ client: wsClient, transformer: superjson })],
      });
      const figures: { orders: number; revenueCents: number }[] = [];
      let waiting: (() => void) | undefined;
      const subscription = client.dashboard.onMetrics.subscribe(undefined, {
        onData(envelope) {
          figures.push(envelope.data.today);
          waiting?.();
        },
      });
      const feed = await openCollectingSocket(
        dashboard(`?channels=transactions,metrics&access_token=${viewer}`),
      );
      try {
        while (figures.length === 0) await new Promise<void>((resolve) => waiting = resolve);
        const before = figures[0];
        const response = await app.fetch("/api/v1/transactions", {
          method: "POST",
          headers: { Authorization: `Bearer ${manager}`, "Content-Type": "application/json" },
          body: JSON.stringify({ customerId, productId, quantity: 2, paymentMethod: "card" }),
        });
        assert.equal(response.status, 201, await response.clone().text());
        const created = await response.json() as { id: number };
        const message = await feed.waitFor<ChannelMessage>((m) =>
          m.channel === "transactions" && m.data.id === created.id
        );
        assert.equal(message.type, "transaction.created");
        assert.equal(message.data.totalCents, 5000);
        while (!figures.some((f) => f.orders === before.orders + 1)) {
          await new Promise<void>((resolve) => waiting = resolve);
        }
        const after = figures.find((f) => f.orders === before.orders + 1)!;
        assert.equal(after.revenueCents, before.revenueCents + 5000);
        await feed.waitFor<ChannelMessage>((m) =>
          m.channel === "metrics" && (m.data.today as { orders: number }).orders === before.orders + 1
        );
      } finally {
        subscription.unsubscribe();
        await wsClient.close();
        await feed.close();
      }
    });
  } finally {
    await app.stop();
  }
});
