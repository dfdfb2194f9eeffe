import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import type { AppEvent, AppEventType, EventBus } from "../events/bus.ts";
import { openTestServices } from "../testing/test_services.ts";
import { type CatalogFixtures, insertCatalogFixtures } from "./catalog_fixtures.ts";

function rejectsWith(code: TRPCError["code"], pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof TRPCError, `expected a TRPCError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/** Resolves with the first event of `type` published after this call. */
function nextEvent(bus: EventBus, type: AppEventType): Promise<AppEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`No ${type} event was published`));
    }, 5_000);
    const stop = bus.subscribe((event) => {
      if (event.type !== type) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

Deno.test("the products router", async (t) => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  let fixtures: CatalogFixtures;
  try {
    fixtures = await insertCatalogFixtures(sql);
    const viewer = test.api("viewer");
    const manager = test.api("manager", { userId: 7, username: "maria" });

    await t.step("list pages through every active product once, in order, for each sort", async () => {
      const cases = [
        { sort: "name", order: "asc", key: (p: { name: string }) => p.name },
        { sort: "name", order: "desc", key: (p: { name: string }) => p.name },
        { sort: "price", order: "asc", key: (p: { priceCents: number }) => p.priceCents },
        { sort: "price", order: "desc", key: (p: { priceCents: number }) => p.priceCents },
        { sort: "stock", order: "asc", key: (p: { stockQuantity: number }) => p.stockQuantity },
        { sort: "id", order: "desc", key: (p: { id: number }) => p.id },
      ] as const;
      for (const { sort, order, key } of cases) {
        const seen: { id: number; value: string | number }[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await viewer.products.list({ sort, order, limit: 5, cursor });
          seen.push(...page.items.map((item) => ({ id: item.id, value: key(item as never) })));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 10);
        assert.equal(pages, 3, `${sort} ${order}: 12 rows in pages of 5`);
        assert.deepEqual(
          new Set(seen.map((row) => row.id)),
          new Set(fixtures.productIds),
          `${sort} ${order}`,
        );
        for (let i = 1; i < seen.length; i++) {
          const [a, b] = [seen[i - 1], seen[i]];
          const inOrder = order === "asc"
            ? a.value < b.value || (a.value === b.value && a.id < b.id)
            : a.value > b.value || (a.value === b.value && a.id > b.id);
          assert.ok(inOrder, `${sort} ${order}: ${JSON.stringify(a)} then ${JSON.stringify(b)}`);
        }
      }
    });

    await t.step("list filters by search term (name, SKU or brand) and by category", async () => {
      const byName = await viewer.products.list({ search: "model c" });
      assert.deepEqual(byName.items.map((item) => item.sku), ["SKU-003"]);
      const bySku = await viewer.products.list({ search: "sku-01" });
      assert.deepEqual(bySku.items.map((item) => item.sku).sort(), ["SKU-010", "SKU-011", "SKU-012"]);
      const literal = await viewer.products.list({ search: "%" });
      assert.equal(literal.items.length, 0, "LIKE wildcards in a search match literally");
      const phones = await viewer.products.list({ category: "Phones", limit: 100 });
      assert.equal(phones.items.length, 4);
      assert.ok(phones.items.every((item) => item.category === "Phones"));
      const firstAcme = phones.items.find((item) => item.sku === "SKU-005")!;
      assert.equal(firstAcme.supplierCount, 2);
    });

    await t.step("list refuses a tampered cursor, a cursor of another sort and a page over 100", async () => {
      const page = await viewer.products.list({ limit: 2 });
      const cursor = page.nextCursor!;
      await assert.rejects(
        viewer.products.list({ cursor: cursor.slice(0, -2) + "zz" }),
        rejectsWith("BAD_REQUEST"),
      );
      await assert.rejects(
        viewer.products.list({ cursor, sort: "price" }),
        rejectsWith("BAD_REQUEST", /Invalid cursor/),
      );
      await assert.rejects(viewer.products.list({ limit: 101 }), rejectsWith("BAD_REQUEST", /limit/));
    });

    await t.step("categories counts active products per category", async () => {
      assert.deepEqual(await viewer.products.categories(), [
        { category: "Audio", productCount: 4 },
        { category: "Laptops", productCount: 4 },
        { category: "Phones", productCount: 4 },
      ]);
    });

    await t.step("get returns a product with each supplier's terms, cheapest first", async () => {
      const product = await viewer.products.get({ id: fixtures.productIds[0] });
      assert.equal(product.sku, "SKU-001");
      assert.equal(product.priceCents, 10_000);
      assert.deepEqual(
        product.suppliers.map((s) => [s.code, s.unitCostCents, s.leadTimeDays, s.minOrderQty, s.reliability]),
        [["GLOBEX", 5_500, 14, 10, 0.8], ["ACME", 6_000, 7, 5, 0.97]],
        "an offer without its own reliability takes the supplier's",
      );
      await assert.rejects(viewer.products.get({ id: 999_999 }), rejectsWith("NOT_FOUND", /999999/));
    });

    await t.step("create adds a product with suppliers, audits it and announces it", async () => {
      const announced = nextEvent(test.services.bus, "product.changed");
      const created = await manager.products.create({
        sku: "TAB-100",
        name: "Tablet 10",
        category: "Tablets",
        brand: "Nova",
        priceCents: 39_900,
        stockQuantity: 12,
        reorderPoint: 4,
        suppliers: [{ supplierId: fixtures.supplierIds.acme, unitCostCents: 25_000, leadTimeDays: 5 }],
      });
      assert.equal(created.sku, "TAB-100");
      assert.equal(created.stockQuantity, 12);
      assert.equal(created.reorderPoint, 4);
      assert.deepEqual(created.suppliers.map((s) => [s.supplierId, s.minOrderQty]), [[
        fixtures.supplierIds.acme,
        1,
      ]]);
      assert.deepEqual((await announced).data, { productId: created.id, change: "created" });
      const [audit] = await sql`
        select actor_name, action, entity_id from audit_log where entity_type = 'product' and action = 'product.created'`;
      assert.deepEqual({ ...audit }, {
        actor_name: "maria",
        action: "product.created",
        entity_id: String(created.id),
      });
    });

    await t.step("create refuses a taken SKU (409) and an unknown supplier, writing nothing", async () => {
      const before = await sql`select count(*)::int as n from products`;
      await assert.rejects(
        manager.products.create({ sku: "SKU-001", name: "Copy", category: "Audio", priceCents: 100 }),
        rejectsWith("CONFLICT", /SKU-001/),
      );
      await assert.rejects(
        manager.products.create({
          sku: "NEW-1",
          name: "New",
          category: "Audio",
          priceCents: 100,
          suppliers: [{ supplierId: 987_654, unitCostCents: 1, leadTimeDays: 1 }],
        }),
        rejectsWith("BAD_REQUEST", /987654/),
      );
      const after = await sql`select count(*)::int as n from products`;
      assert.equal(after[0].n, before[0].n);
    });

    await t.step("create and update need the manager role", async () => {
      const input = { sku: "X-1", name: "X", category: "Audio", priceCents: 100 };
      await assert.rejects(test.api("analyst").products.create(input), rejectsWith("FORBIDDEN"));
      await assert.rejects(test.api(null).products.create(input), rejectsWith("UNAUTHORIZED"));
      await assert.rejects(
        test.api("viewer").products.update({ id: fixtures.productIds[0], priceCents: 1 }),
        rejectsWith("FORBIDDEN"),
      );
      await assert.rejects(test.api(null).products.list({}), rejectsWith("UNAUTHORIZED"));
    });

    await t.step("update sets price, counted stock and reorder settings, audits each change", async () => {
      const id = fixtures.productIds[1];
      const stockChanged = nextEvent(test.services.bus, "stock.changed");
      const updated = await manager.products.update({
        id,
        priceCents: 12_345,
        stockQuantity: 40,
        reorderPoint: 9,
        serviceLevel: 0.99,
        targetDaysOfCover: 45,
      });
      assert.equal(updated.priceCents, 12_345);
      assert.equal(updated.stockQuantity, 40);
      assert.equal(updated.reorderPoint, 9);
      assert.equal(updated.serviceLevel, 0.99);
      assert.equal(updated.targetDaysOfCover, 45);
      assert.deepEqual((await stockChanged).data, {
        productId: id,
        stockQuantity: 40,
        change: 33,
        reason: "adjusted",
        transactionId: null,
        purchaseOrderId: null,
      });
      const [audit] = await sql`
        select details from audit_log where action = 'product.updated' and entity_id = ${String(id)}`;
      assert.deepEqual(audit.details.priceCents, { from: 11_500, to: 12_345 });
      assert.deepEqual(audit.details.stockQuantity, { from: 7, to: 40 });
      const cleared = await manager.products.update({ id, reorderPoint: null });
      assert.equal(cleared.reorderPoint, null, "null returns to the computed reorder point");
    });

    await t.step("update replaces the supplier list", async () => {
      const id = fixtures.productIds[0];
      const updated = await manager.products.update({
        id,
        suppliers: [{
          supplierId: fixtures.supplierIds.initech,
          unitCostCents: 4_000,
          leadTimeDays: 30,
          minOrderQty: 2,
        }],
      });
      assert.deepEqual(updated.suppliers.map((s) => [s.code, s.unitCostCents, s.isActive]), [[
        "INITECH",
        4_000,
        false,
      ]]);
      assert.equal(updated.supplierCount, 1);
    });

    await t.step("update refuses an unknown product, an empty change and a negative stock", async () => {
      await assert.rejects(manager.products.update({ id: 999_999, priceCents: 5 }), rejectsWith("NOT_FOUND"));
      await assert.rejects(
        manager.products.update({ id: fixtures.productIds[0] }),
        rejectsWith("BAD_REQUEST", /at least one field/),
      );
      await assert.rejects(
        manager.products.update({ id: fixtures.productIds[0], stockQuantity: -1 }),
        rejectsWith("BAD_REQUEST", /stockQuantity/),
      );
      const [row] = await sql`select stock_quantity from products where id = ${fixtures.productIds[0]}`;
      assert.equal(row.stock_quantity, 0);
    });

    await t.step("an inactive product leaves the default list but stays under status=all", async () => {
      const id = fixtures.productIds[2];
      await manager.products.update({ id, isActive: false });
      const active = await viewer.products.list({ limit: 100 });
      assert.ok(!active.items.some((item) => item.id === id));
      const all = await viewer.products.list({ limit: 100, status: "all" });
      assert.ok(all.items.some((item) => item.id === id));
      const inactive = await viewer.products.list({ status: "inactive" });
      assert.deepEqual(inactive.items.map((item) => item.id), [id]);
    });

    await t.step(
      "offers reads many products' suppliers at once, each product's as get gives them",
      async () => {
        const none = await manager.products.create({
          sku: "NO-OFFER",
          name: "Bare",
          category: "Audio",
          priceCents: 500,
        });
        const asked = [...fixtures.productIds].reverse().concat(none.id, 999_999);
        const offers = await viewer.products.offers({ productIds: asked });
        const grouped = new Map<number, unknown[]>();
        for (const { productId, ...terms } of offers) {
          grouped.set(productId, [...grouped.get(productId) ?? [], terms]);
        }
        assert.deepEqual([...grouped.keys()], fixtures.productIds, "grouped by product, in id order");
        for (const id of fixtures.productIds) {
          assert.deepEqual(grouped.get(id), (await viewer.products.get({ id })).suppliers, `product ${id}`);
        }
        assert.deepEqual(
          offers.filter((offer) => offer.productId === fixtures.productIds[4])
            .map((offer) => [offer.code, offer.unitCostCents, offer.leadTimeDays]),
          [["GLOBEX", 9_500, 14], ["ACME", 10_000, 7]],
          "cheapest first",
        );
        assert.ok(!grouped.has(none.id), "a product without suppliers has no offers");
        assert.ok(!grouped.has(999_999), "an unknown id has no offers");
        assert.deepEqual(await viewer.products.offers({ productIds: [999_999, none.id] }), []);
        assert.deepEqual(await viewer.products.offers({ productIds: [] }), []);
      },
    );

    await t.step("offers takes at most a page of ids (100) and needs a signed-in caller", async () => {
      const page = Array.from({ length: 100 }, (_, i) => fixtures.productIds[i % 12]);
      assert.ok((await viewer.products.offers({ productIds: page })).length > 0);
      await assert.rejects(
        viewer.products.offers({ productIds: [...page, fixtures.productIds[0]] }),
        rejectsWith("BAD_REQUEST", /productIds/),
      );
      await assert.rejects(viewer.products.offers({ productIds: [0] }), rejectsWith("BAD_REQUEST"));
      await assert.rejects(
        test.api(null).products.offers({ productIds: [fixtures.productIds[0]] }),
        rejectsWith("UNAUTHORIZED"),
      );
    });
  } finally {
    await test.close();
  }
});
