import type { Sql } from "../db/mod.ts";

/** Ids of the small catalog `insertCatalogFixtures` writes. */
export interface CatalogFixtures {
  supplierIds: { acme: number; globex: number; initech: number };
  productIds: number[];
  customerIds: number[];
}

/**
 * A small catalog for tests: 3 suppliers (one inactive), 12 products in 3 categories with
 * distinct prices and stock, offers from one or two suppliers, and 6 customers across the tiers.
 */
export async function insertCatalogFixtures(sql: Sql): Promise<CatalogFixtures> {
  const suppliers = await sql<{ id: number; code: string }[]>`
    insert into suppliers (code, name, email, country, reliability, is_active)
    values ('ACME', 'Acme Components', 'orders@acme.test', 'DE', 0.97, true),
      ('GLOBEX', 'Globex Wholesale', 'sales@globex.test', 'US', 0.85, true),
      ('INITECH', 'Initech Parts', null, 'GB', 0.6, false)
    returning id, code`;
  const supplierId = (code: string) => suppliers.find((row) => row.code === code)!.id;
  const categories = ["Laptops", "Phones", "Audio"];
  const products = Array.from({ length: 12 }, (_, index) => ({
    sku: `SKU-${String(index + 1).padStart(3, "0")}`,
    name: `${categories[index % 3].slice(0, -1)} model ${String.fromCharCode(65 + index)}`,
    category: categories[index % 3],
    brand: index % 2 === 0 ? "Zenith" : "Nova",
    price_cents: 10_000 + index * 1_500,
    cost_cents: 6_000 + index * 1_000,
    stock_quantity: (index * 7) % 23,
  }));
  const productRows = await sql<{ id: number }[]>`
    insert into products ${
    sql(products, "sku", "name", "category", "brand", "price_cents", "cost_cents", "stock_quantity")
  }
    returning id`;
  const productIds = productRows.map((row) => row.id);
  const offers = productIds.flatMap((productId, index) => [
    {
      product_id: productId,
      supplier_id: supplierId("ACME"),
      unit_cost_cents: 6_000 + index * 1_000,
      lead_time_days: 7,
      min_order_qty: 5,
      reliability: null,
    },
    ...(index % 2 === 0
      ? [{
        product_id: productId,
        supplier_id: supplierId("GLOBEX"),
        unit_cost_cents: 5_500 + index * 1_000,
        lead_time_days: 14,
        min_order_qty: 10,
        reliability: 0.8,
      }]
      : []),
  ]);
  await sql`insert into product_suppliers ${
    sql(
      offers,
      "product_id",
      "supplier_id",
      "unit_cost_cents",
      "lead_time_days",
      "min_order_qty",
      "reliability",
    )
  }`;
  const customerRows = await sql<{ id: number }[]>`
    insert into customers (code, name, email, country, loyalty_tier)
    values ('C001', 'Ada Lovelace', 'ada@example.test', 'GB', 'platinum'),
      ('C002', 'Alan Turing', 'alan@example.test', 'GB', 'gold'),
      ('C003', 'Grace Hopper', 'grace@example.test', 'US', 'gold'),
      ('C004', 'Edsger Dijkstra', null, 'NL', 'silver'),
      ('C005', 'Barbara Liskov', 'barbara@example.test', 'US', 'bronze'),
      ('C006', 'Donald Knuth', 'don@example.test', 'US', 'bronze')
    returning id`;
  return {
    supplierIds: { acme: supplierId("ACME"), globex: supplierId("GLOBEX"), initech: supplierId("INITECH") },
    productIds,
    customerIds: customerRows.map((row) => row.id),
  };
}
