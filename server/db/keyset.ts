import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Sql } from "./sql.ts";

/**
 * Keyset pagination shared by every list: the cursor is the sort key of the last row seen, so a
 * page costs an index range scan however deep it is, and rows inserted meanwhile never shift a
 * page. Clients treat the cursor as opaque (base64url of JSON); we validate it on the way back in.
 */

/** The part of a sort key a cursor carries: the sorted column's value (or null), then the row id. */
export type CursorKey = [value: string | number | null, id: number];

/** Input field every list procedure accepts: the `nextCursor` of the previous page. */
export const cursorInput = z.string().min(1).max(512).optional().describe(
  "The `nextCursor` of the previous page; omit for the first page",
);

/** The most rows one page of a list may have. */
export const maxPageSize = 100;

/** Input field for the page size, 1..100 (50 by default). */
export const limitInput = z.coerce.number().int().min(1).max(maxPageSize).default(50);

/** `{ items, nextCursor }`: the shape of every list; `nextCursor` is null on the last page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

const keySchema = z.object({
  // the sort the cursor was made for: a cursor of one sort is meaningless for another
  s: z.string().max(40),
  k: z.tuple([z.union([z.string().max(300), z.number(), z.null()]), z.number().int().min(0)]),
});

/** Encodes the key of the last row of a page for `sort`. */
export function encodeCursor(sort: string, key: CursorKey): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ s: sort, k: key }));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes a cursor made by `encodeCursor` for the same `sort`; anything else (tampered, truncated,
 * made for another sort) is a BAD_REQUEST the caller can act on.
 * @param cursor the client's cursor, or undefined for the first page
 * @param sort the sort of this request
 */
export function decodeCursor(
  cursor: string | undefined,
  sort: string,
  /** what the sorted value must be; a timestamp must be a finite date (PostgreSQL takes "infinity") */
  valueKind?: "timestamp" | "number",
): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new TRPCError({
      code: "BAD_REQUEST",
      message: `Invalid cursor "${cursor.slice(0, 40)}": pass the nextCursor of the previous page unchanged`,
    });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalid();
  }
  const result = keySchema.safeParse(parsed);
  if (!result.success || result.data.s !== sort) throw invalid();
  const [value] = result.data.k;
  if (valueKind === "timestamp" && !(typeof value === "string" && Number.isFinite(Date.parse(value)))) {
    throw invalid();
  }
  if (valueKind === "number" && typeof value !== "number") throw invalid();
  return result.data.k;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page.
 * @param rows rows in sort order, at most `limit + 1`
 * @param options the page size, the sort, and how to read a row's cursor key
 */
export function toPage<T>(
  rows: T[],
  options: { limit: number; sort: string; keyOf: (row: T) => CursorKey },
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= options.limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, options.limit);
  return { items, nextCursor: encodeCursor(options.sort, options.keyOf(items[items.length - 1])) };
}

/**
 * One page of a list sorted by a named column in either order: decodes the cursor made for that
 * sort, fetches `limit + 1` rows after it, and encodes the next cursor from the last row kept.
 * @param input the request's sort, order, cursor and page size
 * @param options `fetch` reads the rows after a key (`limit + 1` of them); `keyOf` reads a row's key
 */
export async function sortedPage<S extends string, T>(
  input: { sort: S; order: "asc" | "desc"; cursor?: string; limit: number },
  options: { fetch: (after: CursorKey | undefined) => Promise<T[]>; keyOf: (row: T, sort: S) => CursorKey },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const sort = `${input.sort}.${input.order}`;
  const rows = await options.fetch(decodeCursor(input.cursor, sort));
  return toPage(rows, { limit: input.limit, sort, keyOf: (row) => options.keyOf(row, input.sort) });
}

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
