import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { type CursorKey, decodeCursor, encodeCursor, sortedPage, toPage } from "./keyset.ts";

Deno.test("decodeCursor() returns the key encodeCursor() was given, for the same sort", () => {
  const cases: [string, [string | number | null, number]][] = [
    ["name.asc", ["Ünïcode laptop ⚡", 42]],
    ["price.desc", [129_900, 7]],
    ["stock.asc", [null, 1]],
    ["id.asc", [0, 0]],
  ];
  for (const [sort, key] of cases) {
    const cursor = encodeCursor(sort, key);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/, "a cursor is URL-safe without escaping");
    assert.deepEqual(decodeCursor(cursor, sort), key);
  }
});

Deno.test("decodeCursor() returns undefined for the first page", () => {
  assert.equal(decodeCursor(undefined, "name.asc"), undefined);
});

Deno.test("decodeCursor() rejects tampered, foreign and malformed cursors as BAD_REQUEST", () => {
  const good = encodeCursor("name.asc", ["Laptop", 3]);
  const forged = btoa(JSON.stringify({ s: "name.asc", k: ["x", -1] })).replace(/=+$/, "");
  const notJson = btoa("not json").replace(/=+$/, "");
  const bad = [
    good.slice(0, -3),
    good + "!",
    "%%%",
    notJson,
    forged,
    btoa(JSON.stringify({ s: "name.asc", k: ["x", 1.5] })).replace(/=+$/, ""),
  ];
  for (const cursor of bad) {
    assert.throws(
      () => decodeCursor(cursor, "name.asc"),
      (error) =>
        error instanceof TRPCError && error.code === "BAD_REQUEST" && /Invalid cursor/.test(error.message),
      `cursor ${cursor} should be refused`,
    );
  }
  assert.throws(() => decodeCursor(good, "price.asc"), /Invalid cursor/, "a cursor belongs to its sort");
});

Deno.test("toPage() gives a next cursor only when there is one more row than the limit", () => {
  const rows = [{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }];
  const keyOf = (row: { id: number; name: string }) => [row.name, row.id] as [string, number];
  const full = toPage(rows, { limit: 2, sort: "name.asc", keyOf });
  assert.deepEqual(full.items.map((row) => row.id), [1, 2]);
  assert.deepEqual(decodeCursor(full.nextCursor!, "name.asc"), ["b", 2]);
  const last = toPage(rows, { limit: 3, sort: "name.asc", keyOf });
  assert.equal(last.items.length, 3);
  assert.equal(last.nextCursor, null);
});

Deno.test("sortedPage() fetches after the previous page's key and refuses a cursor made for the other order", async () => {
  const rows = [{ id: 1, name: "a" }, { id: 2, name: "b" }, { id: 3, name: "c" }];
  const seen: (CursorKey | undefined)[] = [];
  const options = {
    fetch: (after: CursorKey | undefined) => {
      seen.push(after);
      const start = after ? rows.findIndex((row) => row.id === after[1]) + 1 : 0;
      return Promise.resolve(rows.slice(start, start + 3));
    },
    keyOf: (row: { id: number; name: string }, sort: "name" | "id"): CursorKey => [
      sort === "name" ? row.name : row.id,
      row.id,
    ],
  };
  const first = await sortedPage({ sort: "name", order: "asc", limit: 2 }, options);
  assert.deepEqual(first.items.map((row) => row.id), [1, 2]);
  const second = await sortedPage(
    { sort: "name", order: "asc", limit: 2, cursor: first.nextCursor! },
    options,
  );
  assert.deepEqual(second, { items: [rows[2]], nextCursor: null });
  assert.deepEqual(seen, [undefined, ["b", 2]]);
  await assert.rejects(
    sortedPage({ sort: "name", order: "desc", limit: 2, cursor: first.nextCursor! }, options),
    (error) => error instanceof TRPCError && error.code === "BAD_REQUEST",
  );
});
