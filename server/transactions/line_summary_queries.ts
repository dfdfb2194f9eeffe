import type { Sql, TransactionSql } from "../db/mod.ts";

/**
 * The line summaries (`line_summary.ts`) of many orders from their lines, as a fragment for a statement
 * that writes the orders: rows `(position, max_item_quantity, category_units)`, one per `position` that has
 * lines. Categories are the products' own, slugged in SQL as `fraudCategory` slugs them in TypeScript.
 */
export function lineSummariesOf(
  sql: Sql | TransactionSql,
  lines: { position: number; productId: number; quantity: number }[],
) {
  return sql`
    select position, max(max_quantity)::int as max_item_quantity,
      jsonb_object_agg(category, units) as category_units
    from (
      select l.position, ${categorySlug(sql)} as category, sum(l.quantity)::int as units,
        max(l.quantity) as max_quantity
      from unnest(${sql.array(lines.map((l) => l.position))}::int[],
        ${sql.array(lines.map((l) => l.productId))}::int8[],
        ${sql.array(lines.map((l) => l.quantity))}::int4[]) as l(position, product_id, quantity)
      join products p on p.id = l.product_id
      group by 1, 2
    ) per_category
    group by position`;
}

/** `fraudCategory` in SQL, of the product `p` in the enclosing statement. */
export function categorySlug(sql: Sql | TransactionSql) {
  return sql`trim(both '_' from regexp_replace(lower(trim(p.category)), '[^a-z0-9]+', '_', 'g'))`;
}
