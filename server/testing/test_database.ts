import { connect } from "../db/sql.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrate, readMigrations } from "../db/migrate.ts";
import type { Sql } from "../db/sql.ts";

/** A migrated, empty database of its own for one test file. */
export interface TestDatabase {
  sql: Sql;
  url: string;
  kind: "embedded" | "postgres";
  close(): Promise<void>;
}

/**
 * With DATABASE_URL set, creates a fresh database on that server (dropped on close); without it,
 * an embedded PGlite in a temporary folder. Either way the schema is migrated.
 */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  let database: TestDatabase;
  if (serverUrl) {
    const name = `techmart_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = connect(serverUrl, { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const sql = connect(url.toString(), { max: 10 });
    database = {
      sql,
      url: url.toString(),
      kind: "postgres",
      async close() {
        await sql.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } else {
    const dir = await Deno.makeTempDir({ prefix: "techmart-test-" });
    const embedded = await startEmbeddedPostgres(dir);
    const sql = connect(embedded.url, { max: 1, idleTimeout: 0 });
    database = {
      sql,
      url: embedded.url,
      kind: "embedded",
      async close() {
        await sql.end({ timeout: 5 });
        await embedded.stop();
        await Deno.remove(dir, { recursive: true });
      },
    };
  }
  if (options.migrated ?? true) await migrate(database.sql, await readMigrations());
  return database;
}
