import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { runInventoryPredictions } from "./predictions_job.ts";
import { runReorderSuggestions } from "./reorder_suggestions_job.ts";
import { invalidate } from "../cache.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertPackedSeller } from "./inventory_fixtures.ts";

Deno.test("suggestions round up to the supplier's pack and take the price break; approving keeps to both", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const manager = test.api("manager", { userId: 7, username: "mia" });
  await invalidate(test.services.kv, ["inventory"]);
  try {
    await insertPackedSeller(sql, [{
      minQty: 200,
      unitCostCents: 950,
    }, { minQty: 1000, unitCostCents: 800 }]);
    await runInventoryPredictions(test.services);
    await runReorderSuggestions(test.services);

    const [suggestion] = (await manager.inventory.reorderSuggestions({})).items;
    assert.equal(suggestion.quantity % 100, 0, `quantity ${suggestion.quantity}`);
    assert.ok(suggestion.quantity >= 200 && suggestion.quantity < 1000, `quantity ${suggestion.quantity}`);
    assert.equal(suggestion.unitCostCents, 950);
    assert.equal(suggestion.estimatedCostCents, suggestion.quantity * 950);
    assert.match(
      suggestion.reason,
      new RegExp(
        `Rounded up from \\d+ to ${suggestion.quantity} units \\(packs of 100\\)\\. ${suggestion.quantity} units ` +
          `reach the price break from 200 units: £9\\.50 each instead of £10\\.00\\.$`,
      ),
    );

    await assert.rejects(
      manager.inventory.approveSuggestion({ id: suggestion.id, quantity: 950 }),
      (error: unknown) => {
        assert.ok(error instanceof TRPCError && error.code === "BAD_REQUEST", String(error));
        assert.equal(error.message, "quantity: PackCo ships in packs of 100 units; try 1000");
        return true;
      },
    );
    const { purchaseOrder } = await manager.inventory.approveSuggestion({
      id: suggestion.id,
      quantity: 1000,
    });
    assert.equal(purchaseOrder.totalCents, 1000 * 800);
    const [stored] = await sql`select reason from reorder_suggestions where id = ${suggestion.id}`;
    assert.match(stored.reason, /Approved with changes: 1000 units from PackCo at £8\.00 each \(£8,000\.00/);
  } finally {
    await test.close();
  }
});

Deno.test("managers set a supplier's pack size and price breaks through the API; bad terms are a 400", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const manager = test.api("manager", { userId: 7, username: "mia" });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => "resolved",
      (error: unknown) => error instanceof TRPCError ? error.code : String(error),
    );
  try {
    const { supplierId, productId } = await insertPackedSeller(sql, []);
    const saved = await manager.inventory.setSupplierTerms({
      productId,
      supplierId,
      orderMultiple: 12,
      priceBreaks: [{ minQty: 120, unitCostCents: 850 }, { minQty: 24, unitCostCents: 950 }],
    });
    assert.deepEqual(saved, {
      orderMultiple: 12,
      priceBreaks: [{ minQty: 24, unitCostCents: 950 }, { minQty: 120, unitCostCents: 850 }],
    });
    assert.deepEqual(await test.api("viewer").inventory.supplierTerms({ productId, supplierId }), saved);
    const bad = { productId, supplierId, orderMultiple: 12 };
    assert.equal(
      await code(
        manager.inventory.setSupplierTerms({
          ...bad,
          priceBreaks: [{ minQty: 5, unitCostCents: 1 }, { minQty: 5, unitCostCents: 2 }],
        }),
      ),
      "BAD_REQUEST",
    );
    assert.equal(
      await code(manager.inventory.setSupplierTerms({ ...bad, orderMultiple: 0, priceBreaks: [] })),
      "BAD_REQUEST",
    );
    assert.equal(
      await code(manager.inventory.setSupplierTerms({ ...bad, supplierId: 999_999, priceBreaks: [] })),
      "NOT_FOUND",
    );
    assert.equal(
      await code(test.api("viewer").inventory.setSupplierTerms({ ...bad, priceBreaks: [] })),
      "FORBIDDEN",
    );
    assert.deepEqual(
      await manager.inventory.supplierTerms({ productId, supplierId }),
      saved,
      "refusals change nothing",
    );
  } finally {
    await test.close();
  }
});
