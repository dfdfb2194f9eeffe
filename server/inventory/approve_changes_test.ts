import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { runInventoryPredictions } from "./predictions_job.ts";
import { runReorderSuggestions } from "./reorder_suggestions_job.ts";
import { invalidate } from "../cache.ts";
import { openTestServices } from "../testing/test_services.ts";
import { insertDailySales, insertOffer, insertProduct, insertSupplier } from "./inventory_fixtures.ts";

Deno.test("a manager approves a suggestion with another quantity and supplier; the explanation says so", async () => {
  const test = await openTestServices();
  const { sql } = test.services.db;
  const manager = test.api("manager", { userId: 7, username: "mia" });
  await invalidate(test.services.kv, ["inventory"]);
  try {
    const fastCo = await insertSupplier(sql, { name: "FastCo", reliability: 0.95 });
    const bulkCo = await insertSupplier(sql, { name: "BulkCo", reliability: 0.9 });
    const stranger = await insertSupplier(sql, { name: "Stranger" });
    const phone = await insertProduct(sql, { name: "Phone", stock: 30, category: "Phones" });
    await insertOffer(sql, { productId: phone, supplierId: fastCo, unitCostCents: 1000, leadTimeDays: 5 });
    await insertOffer(sql, {
      productId: phone,
      supplierId: bulkCo,
      unitCostCents: 950,
      leadTimeDays: 12,
      minOrderQty: 500,
    });
    const firstDay = new Date(Date.now() - 56 * 86_400_000).toISOString().slice(0, 10);
    await insertDailySales(sql, phone, firstDay, new Array(56).fill(10));
    await runInventoryPredictions(test.services);
    await runReorderSuggestions(test.services);
    const [suggestion] = (await manager.inventory.reorderSuggestions({})).items;
    assert.equal(suggestion.supplierName, "FastCo");

    const refused = async (
      input: Parameters<typeof manager.inventory.approveSuggestion>[0],
      message: RegExp,
    ) => {
      await assert.rejects(manager.inventory.approveSuggestion(input), (error: unknown) => {
        assert.ok(error instanceof TRPCError && error.code === "BAD_REQUEST", String(error));
        assert.match(error.message, message);
        return true;
      });
    };
    await refused({ id: suggestion.id, supplierId: stranger }, /That supplier does not offer Phone/);
    await refused(
      { id: suggestion.id, supplierId: bulkCo, quantity: 100 },
      /BulkCo takes orders of at least 500/,
    );
    const [still] =
      await sql`select status, supplier_id from reorder_suggestions where id = ${suggestion.id}`;
    assert.deepEqual({ ...still }, { status: "open", supplier_id: fastCo }, "a refusal changes nothing");

    const { purchaseOrder } = await manager.inventory.approveSuggestion({
      id: suggestion.id,
      supplierId: bulkCo,
      quantity: 600,
    });
    assert.equal(purchaseOrder.supplierName, "BulkCo");
    assert.equal(purchaseOrder.totalCents, 600 * 950);
    const [stored] = await sql`
      select quantity, supplier_id, estimated_cost_cents::int as cost, reason
      from reorder_suggestions where id = ${suggestion.id}`;
    assert.equal(stored.quantity, 600);
    assert.equal(stored.supplier_id, bulkCo);
    assert.equal(stored.cost, 570_000);
    assert.match(
      stored.reason,
      new RegExp(
        `Approved with changes: 600 units from BulkCo at £9\\.50 each \\(£5,700\\.00, 12 days lead time\\) ` +
          `instead of ${suggestion.quantity} from FastCo \\(£[\\d,]+\\.\\d\\d\\)$`,
      ),
    );
  } finally {
    await test.close();
  }
});
