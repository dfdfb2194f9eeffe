import assert from "node:assert/strict";
import { migrate, readMigrations } from "../db/migrate.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { insertCustomer, insertProduct } from "./transactions_fixtures.ts";

// An upgraded shop: orders written before the line summary existed get it from their lines, within the
// longest window a rule may read
Deno.test("migration 0249 fills the line summaries of the orders written before them", async () => {
  const db = await openTestDatabase({ migrated: false });
  const sql = db.sql;
  try {
    const migrations = await readMigrations();
    await migrate(sql, migrations.filter((m) => m.version < 249));
    const customerId = await insertCustomer(sql);
    const phone = await insertProduct(sql, { category: "Phones" });
    const cable = await insertProduct(sql, { category: " Cables & Adapters " });
    const order = async (ref: string, daysAgo: number, lines: [number, number][]) => {
      const [row] = await sql<[{ id: number }]>`
        insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents, total_cents,
          item_count, created_at, updated_at)
        values (${ref}, ${customerId}, 'completed', 'card', 1000, 1000, 1,
          now() - ${daysAgo} * interval '1 day', now())
        returning id`;
      for (const [productId, quantity] of lines) {
        await sql`insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
          values (${row.id}, ${productId}, ${quantity}, 500)`;
      }
      return row.id;
    };
    const recent = await order("TM-MIG-1", 3, [[phone, 2], [cable, 5], [phone, 1]]);
    const empty = await order("TM-MIG-2", 10, []);
    const old = await order("TM-MIG-3", 800, [[phone, 4]]);

    await migrate(sql, migrations);
    const rows = await sql<{ id: number; max_item_quantity: number | null; category_units: unknown }[]>`
      select id, max_item_quantity, category_units from transactions order by id`;
    assert.deepEqual(rows.map((row) => ({ ...row })), [
      { id: recent, max_item_quantity: 5, category_units: { phones: 3, cables_adapters: 5 } },
      // no lines: read from none, as before
      { id: empty, max_item_quantity: null, category_units: null },
      // older than any rule reads
      { id: old, max_item_quantity: null, category_units: null },
    ]);
  } finally {
    await db.close();
  }
});
