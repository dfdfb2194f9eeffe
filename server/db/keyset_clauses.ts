import type { CursorKey } from "../http/keyset.ts";
import type { Sql } from "./sql.ts";

/**
 * The WHERE and ORDER BY fragments of a keyset page sorted by one column, ties broken by id.
 * Every sorted list builds them the same way, so the row comparison and the ORDER BY can never
 * disagree on direction (which would skip or repeat rows across pages).
 * @param sql the connection the fragments belong to
 * @param options the qualified sort and id columns (`"p.name"`), the direction, the previous page's key
 * @example sql`... where true ${clauses.where} order by ${clauses.orderBy} limit ${limit + 1}`
 */
export function keysetClauses(
  sql: Sql,
  options: { column: string; id: string; order: "asc" | "desc"; after?: CursorKey },
) {
  const column = sql(options.column);
  const id = sql(options.id);
  const after = options.after;
  const where = after
    ? options.order === "asc"
      ? sql`and (${column}, ${id}) > (${after[0]}, ${after[1]})`
      : sql`and (${column}, ${id}) < (${after[0]}, ${after[1]})`
    : sql``;
  const direction = options.order === "asc" ? sql`asc` : sql`desc`;
  return { where, orderBy: sql`${column} ${direction}, ${id} ${direction}` };
}
