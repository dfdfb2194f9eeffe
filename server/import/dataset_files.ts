import { basename } from "node:path";
import { ImportFileError, readCsvRows } from "./csv_reader.ts";
import type { Join, Lookups } from "./mapping.ts";

/** A file to import, and what it is (a native kind or the mapping's name). */
export interface ListedFile {
  path: string;
  kind: string;
}

/**
 * For an export in several files: picks the line-item file, and reads every joined file into rows by
 * key (joined files are the small ones: orders, customers, products). Any file missing, left over,
 * or with a key twice stops the import before anything is written.
 */
export async function loadDataset(
  files: readonly ListedFile[],
  dataset: { main: string; joins: readonly Join[] },
): Promise<{ main: ListedFile; lookups: Lookups }> {
  const byName = new Map(files.map((file) => [fileName(file.path), file]));
  const wanted = [dataset.main, ...new Set(dataset.joins.map((join) => join.file))];
  const missing = wanted.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new ImportFileError(
      `The mapping reads ${wanted.map((name) => `${name}.csv`).join(", ")}; ` +
        `missing: ${missing.map((name) => `${name}.csv`).join(", ")}`,
    );
  }
  const extra = [...byName.keys()].filter((name) => !wanted.includes(name));
  if (extra.length > 0) {
    throw new ImportFileError(
      `${extra.map((name) => `${name}.csv`).join(", ")} is not part of the mapping's files (${
        wanted.map((name) => `${name}.csv`).join(", ")
      })`,
    );
  }
  const lookups = new Map<string, Map<string, Record<string, string>>>();
  for (const join of dataset.joins) {
    const file = byName.get(join.file)!;
    const rows = new Map<string, Record<string, string>>();
    const lines = new Map<string, number>();
    const unreadable: string[] = [];
    for await (
      const { line, fields } of readCsvRows(file.path, {
        columns: [join.key],
        allowExtraColumns: true,
        onReject: (reject) => unreadable.push(`${basename(file.path)}:${reject.line}: ${reject.reason}`),
      })
    ) {
      const key = fields[join.key].trim();
      const first = lines.get(key);
      if (first !== undefined) {
        throw new ImportFileError(
          `${basename(file.path)}:${line}: ${join.key} "${key}" is on line ${first} already; a joined file ` +
            "needs one row per key",
        );
      }
      lines.set(key, line);
      rows.set(key, fields);
    }
    if (unreadable.length > 0) throw new ImportFileError(unreadable.slice(0, 5).join("\n"));
    lookups.set(join.as, rows);
  }
  return { main: byName.get(dataset.main)!, lookups };
}

function fileName(path: string): string {
  return basename(path).replace(/\.gz$/, "").replace(/\.csv$/, "");
}
