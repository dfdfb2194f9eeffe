import { fileURLToPath } from "node:url";
import type { Sql } from "../db/mod.ts";
import { importPath } from "./importer.ts";

/** The committed sample shop (`deno task generate-data` writes it). */
export const sampleDataDir = fileURLToPath(new URL("../../data/sample/", import.meta.url));

/** What seeding did: counts of new rows, or that data was already there. */
export type SeedResult =
  | { alreadyPresent: true }
  | {
    alreadyPresent: false;
    suppliers: number;
    products: number;
    productSuppliers: number;
    customers: number;
    transactions: number;
    items: number;
    rejected: number;
  };

/**
 * Imports the sample shop when the database has no products, shifted so its newest order
 * happened at `now` and a fresh start looks live.
 * @example const seeded = await seedSampleData(sql); if (!seeded.alreadyPresent) log(seeded.transactions)
 */
export async function seedSampleData(
  sql: Sql,
  options: { now?: Date; dir?: string } = {},
): Promise<SeedResult> {
  const [{ present }] = await sql<{ present: boolean }[]>`select exists (select 1 from products) as present`;
  if (present) return { alreadyPresent: true };
  // Two instances starting together may both get here: the import is idempotent, so the second adds nothing
  // Strict: every file in ONE transaction. File by file, a start killed after the products but before the
  // orders left a shop with a catalog and no sales, and the next start saw products and skipped seeding
  const summaries = await importPath(sql, options.dir ?? sampleDataDir, {
    shiftTo: options.now ?? new Date(),
    rejectsDir: false,
    strict: true,
  });
  const created = (table: keyof (typeof summaries)[number]["created"]) =>
    summaries.reduce((sum, s) => sum + (s.created[table] ?? 0), 0);
  return {
    alreadyPresent: false,
    suppliers: created("suppliers"),
    products: created("products"),
    productSuppliers: created("product_suppliers"),
    customers: created("customers"),
    transactions: created("transactions"),
    items: created("items"),
    rejected: summaries.reduce((sum, s) => sum + s.rejected, 0),
  };
}
