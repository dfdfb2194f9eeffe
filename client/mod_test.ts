import assert from "node:assert/strict";
import { TRPCClientError } from "@trpc/client";
import { insertApiToken } from "../server/auth/api_tokens.ts";
import { type CatalogFixtures, insertCatalogFixtures } from "../server/products/catalog_fixtures.ts";
import { startTestApp } from "../server/testing/test_app.ts";
import { closeTechMartClient, createTechMartClient, fetchStoreFormat } from "./mod.ts";

Deno.test("createTechMartClient() calls the app over HTTP and follows it over WebSocket", async (t) => {
  let fixtures: CatalogFixtures | undefined;
  let managerToken = "";
  let viewerToken = "";
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "100000" },
    prepare: async (services) => {
      fixtures = await insertCatalogFixtures(services.db.sql);
      managerToken =
        (await insertApiToken(services.db.sql, { name: "tool", role: "manager", createdBy: 0 })).token;
      viewerToken =
        (await insertApiToken(services.db.sql, { name: "reader", role: "viewer", createdBy: 0 })).token;
    },
  });
  const api = createTechMartClient({ url: app.url, token: managerToken });
  try {
    await t.step("queries and mutations carry the token and keep types (dates stay Dates)", async () => {
      const page = await api.products.list.query({ limit: 3, sort: "price" });
      assert.equal(page.items.length, 3);
      assert.ok(page.items[0].updatedAt instanceof Date);
      const updated = await api.products.update.mutate({ id: fixtures!.productIds[0], priceCents: 11_111 });
      assert.equal(updated.priceCents, 11_111);
    });

    await t.step("errors arrive as TRPCClientError with the server's code", async () => {
      const reader = createTechMartClient({ url: app.url, token: viewerToken });
      await assert.rejects(
        reader.products.update.mutate({ id: fixtures!.productIds[0], priceCents: 1 }),
        (error) => error instanceof TRPCClientError && error.data?.code === "FORBIDDEN",
      );
      const anonymous = createTechMartClient({ url: app.url });
      await assert.rejects(
        anonymous.products.list.query({}),
        (error) => error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED",
      );
    });

    await t.step(
      "the shop's formatters write amounts and times as its pages do; payment methods are typed",
      async () => {
        const format = await fetchStoreFormat(api);
        assert.deepEqual(format.settings, { currency: "GBP", locale: "en-GB", timeZone: "UTC" });
        assert.equal(format.money(194697), "£1,946.97");
        assert.equal(format.dateTime(new Date("2026-12-06T00:08:00Z")), "6 Dec 2026, 00:08");
        await assert.rejects(
          api.transactions.create.mutate({
            customerId: fixtures!.customerIds[0],
            items: [{ productId: fixtures!.productIds[4], quantity: 1 }],
            // @ts-expect-error the typed client knows the payment methods: "bitcoin" is not one
            paymentMethod: "bitcoin",
          }),
          (error) => error instanceof TRPCClientError && error.data?.code === "BAD_REQUEST",
        );
      },
    );

    await t.step("a subscription over the WebSocket receives a transaction created over HTTP", async () => {
      const received = new Promise<{ id: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no transaction arrived")), 10_000);
        const subscription = api.transactions.onCreated.subscribe(undefined, {
          onStarted() {
            api.transactions.create.mutate({
              customerId: fixtures!.customerIds[0],
              items: [{ productId: fixtures!.productIds[4], quantity: 1 }],
              paymentMethod: "card",
            }).catch(reject);
          },
          onData({ data }) {
            clearTimeout(timer);
            subscription.unsubscribe();
            resolve(data as unknown as { id: number });
          },
          onError(error) {
            clearTimeout(timer);
            reject(error);
          },
        });
      });
      const transaction = await received;
      const stored = await api.transactions.get.query({ id: transaction.id });
      assert.equal(stored.id, transaction.id);
    });
  } finally {
    await closeTechMartClient(api);
    await app.stop();
  }
});
