/**
 * Imports the whole UCI Online Retail file (541,909 rows) with the online-retail mapping into a
 * fresh database — embedded PGlite, or a new database on DATABASE_URL's server — and times it.
 *
 *   deno task bench import [path/to/online_retail.csv.gz]
 */
import { fileURLToPath } from "node:url";
import { onlineRetailMapping } from "../data/mappings/online_retail.ts";
import { importFile } from "../server/import/importer.ts";
import { openTestDatabase } from "../server/testing/test_database.ts";

const defaultFile = fileURLToPath(new URL("../../shared/data/online_retail.csv.gz", import.meta.url));

/** Runs the import twice: a first load, then a re-import that must add nothing. */
export async function run(args: string[]): Promise<void> {
  const file = args[0] ?? defaultFile;
  const db = await openTestDatabase();
  try {
    const first = await timed(() =>
      importFile(db.sql, file, { mapping: onlineRetailMapping, rejectsDir: false })
    );
    console.log(
      `first load: ${first.result.read} rows read, ${first.result.inserted} inserted, ${first.result.rejected} rejected ` +
        `in ${first.seconds.toFixed(1)} s`,
    );
    const again = await timed(() =>
      importFile(db.sql, file, { mapping: onlineRetailMapping, rejectsDir: false })
    );
    console.log(
      `re-import: ${again.result.inserted} inserted, ${again.result.skipped} already present in ${
        again.seconds.toFixed(1)
      } s`,
    );
    console.log(
      `import (${db.kind}): ${first.result.read.toLocaleString("en-GB")} rows in ${
        first.seconds.toFixed(1)
      } s ` +
        `(${Math.round(first.result.read / first.seconds).toLocaleString("en-GB")} rows/s), re-import ${
          again.seconds.toFixed(1)
        } s`,
    );
  } finally {
    await db.close();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const startedAt = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - startedAt) / 1000 };
}
