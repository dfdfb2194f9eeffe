/**
 * Imports CSV files into the database: `deno task import FILE... [--mapping NAME|PATH] [--rate CUR=RATE]
 * [--strict]`.
 * Uses DATABASE_URL, or the embedded database in DATA_DIR. Exit code 1 when a file failed, or when
 * something was rejected in strict mode.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/mod.ts";
import { migrate, readMigrations } from "../server/db/migrate.ts";
import {
  importedSales,
  ImportFileError,
  importPaths,
  type ImportProgress,
  type ImportSummary,
} from "../server/import/importer.ts";
import { createLogger } from "../server/log.ts";
import { scoreImportedHistoryWithPrior } from "../server/fraud/model/prior_history.ts";
import { MappingSpecError } from "../server/import/declarative_mapping.ts";
import type { Mapping } from "../server/import/mapping.ts";
import { mappingJsonSchema } from "../server/import/mapping_spec.ts";
import { builtInMappings, loadMapping } from "../server/import/mapping_registry.ts";

const usage = `Usage: deno task import FILE... [--mapping NAME|PATH] [--rate CUR=RATE]... [--strict]
  FILE       our CSVs (suppliers, products, product_suppliers, customers, transactions; .csv or .csv.gz),
             or a directory of them (imported in that order); several files are imported in the order given
  --mapping  read another shop's export with a mapping: a built-in one (${
  Object.keys(builtInMappings).join(", ")
}) or the path of a mapping file (JSON or YAML, see docs/import.md)
  --rate     what one unit of a foreign currency is worth in the store's (STORE_CURRENCY), e.g. --rate USD=0.79
  --strict   apply nothing when any row is rejected
  --schema   print the JSON Schema of mapping files and stop`;

const numberFormat = new Intl.NumberFormat("en-GB");

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        mapping: { type: "string" },
        rate: { type: "string", multiple: true, default: [] },
        strict: { type: "boolean", default: false },
        schema: { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.schema) {
    console.log(JSON.stringify(mappingJsonSchema(), null, 2));
    return 0;
  }
  if (values.help || positionals.length === 0) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const rates: Record<string, number> = {};
  for (const rate of values.rate) {
    const match = /^([A-Z]{3})=(\d+(\.\d+)?)$/.exec(rate);
    if (!match || Number(match[2]) <= 0) {
      console.error(`--rate ${rate}: expected CUR=RATE such as USD=0.79`);
      return 2;
    }
    rates[match[1]] = Number(match[2]);
  }

  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  let mapping: Mapping | undefined;
  if (values.mapping !== undefined) {
    try {
      mapping = await loadMapping(values.mapping, { storeCurrency: config.STORE_CURRENCY, rates });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        console.error(
          `Unknown mapping "${values.mapping}": not a built-in one (${
            Object.keys(builtInMappings).join(", ")
          }) nor a file`,
        );
        return 2;
      }
      if (error instanceof MappingSpecError) {
        console.error(`The mapping is not valid:\n${error.message}`);
        return 2;
      }
      throw error;
    }
  }
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, log);
  const progress = createProgressBar();
  try {
    await migrate(database.sql, await readMigrations());
    const startedAt = performance.now();
    const summaries = await importPaths(database.sql, positionals, {
      mapping,
      strict: values.strict,
      onProgress: progress.update,
    });
    progress.done();
    // imported sales get the fraud prior's scores, so a shop at cold start has its operating point at once
    const prior = importedSales(summaries)
      ? await scoreImportedHistoryWithPrior({ db: database, config, log })
      : null;
    const seconds = (performance.now() - startedAt) / 1000;
    for (const summary of summaries) printSummary(summary);
    if (prior?.atColdStart) {
      console.log(
        `Fraud screen: ${
          numberFormat.format(prior.scored)
        } imported sales of the last 90 days scored by the shipped prior (the cold-start review threshold)`,
      );
    }
    console.log(`Done in ${seconds.toFixed(1)} s (${database.kind} database)`);
    return values.strict && summaries.some((s) => s.rejected > 0) ? 1 : 0;
  } catch (error) {
    progress.done();
    if (error instanceof ImportFileError) {
      console.error(`${error.message}\nNothing was imported.`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

function printSummary(summary: ImportSummary) {
  const n = (value: number) => numberFormat.format(value);
  console.log(
    `${summary.file} (${summary.kind}): ${n(summary.read)} rows read, ${n(summary.inserted)} inserted, ` +
      `${n(summary.skipped)} already present, ${n(summary.rejected)} rejected` +
      (summary.applied ? "" : " — nothing applied"),
  );
  const created = Object.entries(summary.created).filter(([, count]) => count);
  if (created.length > 0) {
    console.log(`  created: ${created.map(([table, count]) => `${n(count!)} ${table}`).join(", ")}`);
  }
  const shown = 20;
  for (const reject of summary.rejects.slice(0, shown)) {
    console.log(`  ${summary.file}:${reject.line}: ${reject.reason}`);
  }
  if (summary.rejects.length > shown) {
    console.log(`  ... and ${n(summary.rejects.length - shown)} more`);
  }
  if (summary.rejectsFile) console.log(`  all rejects: ${summary.rejectsFile}`);
}

/** A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, CI). */
function createProgressBar() {
  const enabled = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let last = "";
  function update(progress: ImportProgress) {
    if (!enabled) return;
    const width = 30;
    const filled = Math.round(progress.fraction * width);
    const name = progress.file.split("/").pop();
    const line = `\r${progress.phase === "reading" ? "Reading" : "Writing"} ${name} [${"#".repeat(filled)}${
      "-".repeat(width - filled)
    }] ${Math.round(progress.fraction * 100)}%`;
    if (line === last) return;
    last = line;
    Deno.stderr.writeSync(encoder.encode(line + "\x1b[K"));
  }
  function done() {
    if (enabled && last) Deno.stderr.writeSync(encoder.encode("\r\x1b[K"));
    last = "";
  }
  return { update, done };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
