import assert from "node:assert/strict";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";
import type { AppRouter } from "../../server/api/app_router.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { createToken, orderRefOf, publishSale, runTag, wsUrl } from "./_live_fixtures.ts";
import { eventually, openCollectingSocket } from "./_socket_clients.ts";

interface ChannelMessage {
  channel: string;
  id: number;
  type: string;
  data: Record<string, unknown>;
}

// Without Redis each instance has its own in-process bus: there is nothing to fan out across
const redisUrl = Deno.env.get("REDIS_URL");

Deno.test({
  name: "two app instances sharing PostgreSQL and Redis behave as one for live clients",
  ignore: !redisUrl,
  async fn(t) {
    const a = await startTestApp();
    let b: TestApp | undefined;
    try {
      // With DATABASE_URL both instances use A's fresh database; embedded, each has its own (the bus is shared)
      b = await startTestApp({
        env: a.services.db.kind === "postgres" ? { DATABASE_URL: a.services.db.url } : {},
      });
      const manager = await createToken(a.services, "manager");
      const viewerA = await createToken(a.services, "viewer");
      const viewerB = b.services.db.url === a.services.db.url
        ? viewerA
        : await createToken(b.services, "viewer");
      const productId = await insertProduct(a.services.db.sql, { priceCents: 1250, stock: 100 });
      const customerId = await insertCustomer(a.services.db.sql);
      const appB = b;

      await t.step(
        "a transaction created through instance A reaches subscribers on instance B within a second",
        async () => {
          const plain = await openCollectingSocket(
            wsUrl(appB.url, `/api/v1/ws/dashboard?channels=transactions&access_token=${viewerB}`),
          );
          const wsClient = createWSClient({ url: wsUrl(appB.url, `/trpc?access_token=${viewerB}`) });
          const client = createTRPCClient<AppRouter>({
            links: [wsLink({ client: wsClient, transformer: superjson })],
          });
          const viaTrpc: { id: string; transactionId: number }[] = [];
          let started!: () => void;
          const ready = new Promise<void>((resolve) => started = resolve);
          const subscription = client.transactions.onCreated.subscribe(undefined, {
            onStarted: () => started(),
            onData(envelope) {
              viaTrpc.push({ id: envelope.id, transactionId: envelope.data.id });
            },
          });
          try {
            await ready;
            const response = await a.fetch("/api/v1/transactions", {
              method: "POST",
              headers: { Authorization: `Bearer ${manager}`, "Content-Type": "application/json" },
              body: JSON.stringify({ customerId, productId, quantity: 3, paymentMethod: "card" }),
            });
            assert.equal(response.status, 201, await response.clone().text());
            const created = await response.json() as { id: number; totalCents: number };
            const message = await plain.waitFor<ChannelMessage>(
              (m) => m.channel === "transactions" && m.data.id === created.id,
              1_000,
            );
            assert.equal(message.data.totalCents, 3750);
            await eventually(
              () => viaTrpc.some((r) => r.transactionId === created.id),
              1_000,
              "the tRPC subscriber on B did not get the transaction",
            );
            const tracked = viaTrpc.find((r) => r.transactionId === created.id);
            assert.ok(tracked);
            assert.equal(tracked.id, String(message.id), "both clients see the same event id");
          } finally {
            subscription.unsubscribe();
            await wsClient.close();
            await plain.close();
          }
        },
      );

      await t.step(
        "a client that reconnects to the other instance gets exactly the events it missed",
        async () => {
          const tag = runTag();
          const onA = await openCollectingSocket(
            wsUrl(a.url, `/api/v1/ws/dashboard?channels=transactions&access_token=${viewerA}`),
          );
          const seen = await publishSale(a.services, tag, 0);
          await onA.waitFor((m) => orderRefOf(m) === `${tag}-0`);
          await onA.close();
          for (const index of [1, 2, 3]) await publishSale(a.services, tag, index);
          // B's buffer received them through Redis: wait until it has, then resume there
          const onB = await openCollectingSocket(
            wsUrl(
              appB.url,
              `/api/v1/ws/dashboard?channels=transactions&lastEventId=${seen.id}&access_token=${viewerB}`,
            ),
          );
          try {
            await publishSale(a.services, tag, 4);
            await onB.waitFor((m) => orderRefOf(m) === `${tag}-4`);
            const mine = onB.messages.filter((m) => orderRefOf(m)?.startsWith(`${tag}-`)).map(orderRefOf);
            assert.deepEqual(mine, [1, 2, 3, 4].map((i) => `${tag}-${i}`));
          } finally {
            await onB.close();
          }
        },
      );
    } finally {
      await b?.stop();
      await a.stop();
    }
  },
});
