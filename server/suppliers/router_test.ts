import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { insertCatalogFixtures } from "../products/catalog_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";

Deno.test("the suppliers router", async (t) => {
  const test = await openTestServices();
  try {
    const fixtures = await insertCatalogFixtures(test.services.db.sql);
    const viewer = test.api("viewer");

    await t.step("list shows active suppliers by name with their product counts", async () => {
      const page = await viewer.suppliers.list({});
      assert.deepEqual(page.items.map((s) => [s.code, s.productCount, s.reliability]), [
        ["ACME", 12, 0.97],
        ["GLOBEX", 6, 0.85],
      ]);
      assert.equal(page.nextCursor, null);
    });

    await t.step("list searches, includes inactive ones on request and sorts by reliability", async () => {
      assert.deepEqual((await viewer.suppliers.list({ search: "glob" })).items.map((s) => s.code), [
        "GLOBEX",
      ]);
      const all = await viewer.suppliers.list({ status: "all", sort: "reliability", order: "desc" });
      assert.deepEqual(all.items.map((s) => s.code), ["ACME", "GLOBEX", "INITECH"]);
    });

    await t.step("list pages with a cursor and refuses one that was changed", async () => {
      const first = await viewer.suppliers.list({ status: "all", limit: 2 });
      assert.equal(first.items.length, 2);
      const second = await viewer.suppliers.list({ status: "all", limit: 2, cursor: first.nextCursor! });
      assert.deepEqual(second.items.map((s) => s.code), ["INITECH"]);
      assert.equal(second.nextCursor, null);
      await assert.rejects(
        viewer.suppliers.list({ cursor: first.nextCursor!.toUpperCase() }),
        (error) => error instanceof TRPCError && error.code === "BAD_REQUEST",
      );
    });

    await t.step("get returns a supplier with the products it offers and their terms", async () => {
      const globex = await viewer.suppliers.get({ id: fixtures.supplierIds.globex });
      assert.equal(globex.name, "Globex Wholesale");
      assert.equal(globex.offers.length, 6);
      const first = globex.offers.find((offer) => offer.sku === "SKU-001")!;
      assert.deepEqual(
        [first.unitCostCents, first.leadTimeDays, first.minOrderQty, first.reliability],
        [5_500, 14, 10, 0.8],
      );
      await assert.rejects(
        viewer.suppliers.get({ id: 424_242 }),
        (error) => error instanceof TRPCError && error.code === "NOT_FOUND" && /424242/.test(error.message),
      );
    });

    await t.step("anonymous callers are refused", async () => {
      await assert.rejects(
        test.api(null).suppliers.list({}),
        (error) => error instanceof TRPCError && error.code === "UNAUTHORIZED",
      );
    });
  } finally {
    await test.close();
  }
});
