// Hostile inputs for property tests, and a fingerprint of the business tables to prove nothing was written.
import fc from "fast-check";
import type { Sql } from "../../server/db/mod.ts";

/** Strings an attacker or a broken client sends: SQL and HTML fragments, control characters, huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "' OR 1=1 --",
    "'; drop table products; --",
    "1; select pg_sleep(10)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u0000",
    "nul\u0000inside",
    "\ud800",
    "😀".repeat(500),
    "a".repeat(200_000),
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "__proto__",
    "constructor",
    "../../../etc/passwd",
    "%00",
    "null",
    "true",
    "2024-13-45",
    "9".repeat(40),
  ),
);

/** Numbers out of every range: negative, fractional, beyond int8, not finite. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    -1,
    0,
    0.5,
    -0,
    2 ** 31,
    2 ** 53,
    2 ** 63,
    -(2 ** 63),
    9.3e18,
    1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    Infinity,
    -Infinity,
    Number.NaN,
  ),
);

/** A value nested `depth` levels deep (arrays in objects in arrays ...). */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Any value, with the hostile scalars above, arrays (some huge), objects and deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.date({ noInvalidDate: false }),
    fc.constantFrom(
      Array.from({ length: 100_000 }, (_, i) => i),
      Array.from({ length: 5_000 }, () => ({ productId: 1, quantity: 1 })),
      deeplyNested(2_000),
      { __proto__: { admin: true } },
    ),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/**
 * Objects with the fields a schema expects (so its field validators are what is tested), each set to
 * a hostile value or left out; sometimes with extra fields.
 */
export function hostileRecord(keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 3 });
  const fields = Object.fromEntries(keys.map((key) => [key, hostileValue]));
  return fc.tuple(
    fc.record(fields, { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 2 }),
  ).map(([known, extra]) => ({ ...extra, ...known }));
}

// Tables that legitimately change on a rejected call: nothing of the shop's business lives there
const volatileTables = new Set([
  "query_timings",
  "sessions",
  "job_runs",
  "materialized_view_refreshes",
  "schema_migrations",
]);

// Columns that record when something was last used, not what the shop holds
const volatileColumns = ["last_used_at", "last_seen_at", "last_login_at"];

/**
 * A fingerprint of every business table: its row count and a hash of its rows. Equal before and
 * after means nothing was written.
 */
export async function businessFingerprint(sql: Sql): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
  const fingerprint: Record<string, string> = {};
  for (const { name } of tables) {
    if (volatileTables.has(name)) continue;
    const [row] = await sql<[{ n: number; digest: string | null }]>`
      select count(*)::int as n, md5(string_agg(row_hash, '' order by row_hash)) as digest
      from (select md5((to_jsonb(t) - ${volatileColumns}::text[])::text) as row_hash from ${
      sql(name)
    } t) rows`;
    fingerprint[name] = `${row.n}:${row.digest ?? "-"}`;
  }
  return fingerprint;
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
