/**
 * Imports the whole UCI Online Retail file (541,909 rows) with the online-retail mapping into a
 * fresh database — embedded PGlite, or a new database on DATABASE_URL's server — and times it.
 * Before that, in the same run, it times the mapping step alone on the file's rows held in memory:
 * the declarative online-retail mapping against the hand-written mapper it replaced (the speed
 * baseline of #21, kept in bench/_online_retail_legacy_mapper.ts), and checks both give the same rows.
 *
 * With `--with-baseline` the whole import also runs with the hand-written mapper, into a database of its
 * own, in the same run.
 *
 *   deno task bench import [path/to/online_retail.csv.gz] [--mapping-only] [--with-baseline] [--rounds 3]
 */
import process from "node:process";
import { onlineRetailPath } from "./_online_retail.ts";
import { legacyOnlineRetailMapping } from "./_online_retail_legacy_mapper.ts";
import { findMapping } from "../server/import/mapping_registry.ts";
import { readCsvRows } from "../server/import/csv_reader.ts";
import type { Mapping } from "../server/import/mapping.ts";
import { importFile } from "../server/import/importer.ts";
import { openTestDatabase } from "../server/testing/test_database.ts";

const onlineRetailMapping = findMapping("online-retail")!;

interface Row {
  line: number;
  fields: Record<string, string>;
}

/** Reads every row of the file into memory, as the importer's reader gives them to a mapper. */
async function readRows(file: string, mapping: Mapping): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of readCsvRows(file, { columns: mapping.columns, onReject() {} })) rows.push(row);
  return rows;
}

/**
 * One pass of a fresh mapper over every row: seconds of wall clock and of CPU (what the process got on
 * the shared machine, the steadier figure under load), and how many rows it accepted.
 */
function mapAll(mapping: Mapping, rows: readonly Row[]): { seconds: number; cpu: number; accepted: number } {
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  const mapRow = mapping.createMapper();
  let accepted = 0;
  for (const { line, fields } of rows) if (typeof mapRow(fields, line) !== "string") accepted++;
  const cpu = process.cpuUsage(cpuAtStart);
  return { seconds: (performance.now() - startedAt) / 1000, cpu: (cpu.user + cpu.system) / 1e6, accepted };
}

/**
 * Rows on which the two mappers disagree (one accepts and the other rejects, the reasons differ, or
 * the rows differ), apart from `trimmed`: product names the declarative mapping trims of the spaces
 * the file has around them (the hand-written mapper kept them).
 */
function differences(
  a: Mapping,
  b: Mapping,
  rows: readonly Row[],
): { count: number; trimmed: number; first: string | null } {
  const mapA = a.createMapper();
  const mapB = b.createMapper();
  let count = 0;
  let trimmed = 0;
  let first: string | null = null;
  for (const { line, fields } of rows) {
    const left = mapA(fields, line);
    const right = mapB(fields, line);
    if (typeof left === "string" || typeof right === "string") {
      if (left === right) continue;
    } else {
      const expected = JSON.stringify(left);
      if (expected === JSON.stringify(right)) continue;
      const leftRows = Array.isArray(left) ? left : [left];
      for (const row of leftRows) if ("product" in row) row.product.name = row.product.name.trim();
      if (JSON.stringify(left) === JSON.stringify(right)) {
        trimmed++;
        continue;
      }
    }
    count++;
    first ??= `line ${line}: ${JSON.stringify(left)} vs ${JSON.stringify(right)}`;
  }
  return { count, trimmed, first };
}

/** Times the mapping step of both mappers, alternating rounds; the best round of each counts. */
async function benchMappers(file: string, rounds: number): Promise<void> {
  const rows = await readRows(file, onlineRetailMapping);
  const diff = differences(legacyOnlineRetailMapping, onlineRetailMapping, rows);
  console.log(
    `mappers agree on ${(rows.length - diff.count).toLocaleString("en-GB")} of ${
      rows.length.toLocaleString("en-GB")
    } rows (accepted or rejected with the same reason; ${diff.trimmed.toLocaleString("en-GB")} ` +
      `differ only by spaces around the product name, which the declarative mapping trims)${
        diff.first ? `; first difference: ${diff.first}` : ""
      }`,
  );
  const best = { legacy: Infinity, declarative: Infinity, legacyCpu: Infinity, declarativeCpu: Infinity };
  let accepted = 0;
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first, so neither always runs on the warmer (or the more collected) heap
    const order = round % 2 === 0 ? ["legacy", "declarative"] as const : ["declarative", "legacy"] as const;
    for (const which of order) {
      const result = mapAll(which === "legacy" ? legacyOnlineRetailMapping : onlineRetailMapping, rows);
      if (which === "legacy") {
        best.legacy = Math.min(best.legacy, result.seconds);
        best.legacyCpu = Math.min(best.legacyCpu, result.cpu);
      } else {
        best.declarative = Math.min(best.declarative, result.seconds);
        best.declarativeCpu = Math.min(best.declarativeCpu, result.cpu);
        accepted = result.accepted;
      }
    }
  }
  const rate = (seconds: number) => Math.round(rows.length / seconds).toLocaleString("en-GB");
  console.log(
    `mapping only (${rows.length.toLocaleString("en-GB")} rows, ${
      accepted.toLocaleString("en-GB")
    } accepted, ` +
      `best of ${rounds}): hand-written ${best.legacy.toFixed(2)} s (${rate(best.legacy)} rows/s), ` +
      `declarative ${best.declarative.toFixed(2)} s (${rate(best.declarative)} rows/s), ` +
      `declarative/hand-written speed ${(best.legacy / best.declarative).toFixed(2)}x; CPU time ` +
      `hand-written ${best.legacyCpu.toFixed(2)} s, declarative ${best.declarativeCpu.toFixed(2)} s ` +
      `(${(best.legacyCpu / best.declarativeCpu).toFixed(2)}x); load ${Deno.loadavg()[0].toFixed(1)}`,
  );
}

/** Runs the mapper comparison, then the import twice: a first load, then a re-import that must add nothing. */
export async function run(args: string[]): Promise<void> {
  const file = args.find((arg, i) => !arg.startsWith("--") && args[i - 1] !== "--rounds") ??
    onlineRetailPath();
  const roundsAt = args.indexOf("--rounds");
  const rounds = roundsAt >= 0 ? Math.max(1, Number(args[roundsAt + 1]) || 1) : 3;
  await benchMappers(file, rounds);
  if (args.includes("--mapping-only")) return;
  if (args.includes("--with-baseline")) {
    const baseline = await openTestDatabase();
    try {
      const load = await timed(() =>
        importFile(baseline.sql, file, { mapping: legacyOnlineRetailMapping, rejectsDir: false })
      );
      console.log(
        `import with the hand-written mapper (${baseline.kind}): ${
          load.result.read.toLocaleString("en-GB")
        } rows ` +
          `in ${load.seconds.toFixed(1)} s (${
            Math.round(load.result.read / load.seconds).toLocaleString("en-GB")
          } rows/s)`,
      );
    } finally {
      await baseline.close();
    }
  }
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
