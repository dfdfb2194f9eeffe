// A process to kill: imports a folder with the real importer, printing each writing step on stdout.
// Usage: deno run -A tests/faults/_import_child.ts <dir>, with DATABASE_URL or DATA_DIR set.
import { basename } from "node:path";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/db/mod.ts";
import { migrate, readMigrations } from "../../server/db/migrate.ts";
import { importPath } from "../../server/import/importer.ts";
import { createLogger } from "../../server/log.ts";

const db = await openDatabase(loadConfig(Deno.env.toObject()), createLogger("error"));
await migrate(db.sql, await readMigrations());
const summaries = await importPath(db.sql, Deno.args[0], {
  rejectsDir: false,
  onProgress(progress) {
    if (progress.phase === "writing") {
      console.log(`writing ${basename(progress.file)} ${progress.fraction.toFixed(3)}`);
    }
  },
});
console.log(
  `done ${JSON.stringify(summaries.map((s) => ({ file: basename(s.file), inserted: s.inserted })))}`,
);
await db.close();
