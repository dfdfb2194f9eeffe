import type { Sql } from "./sql.ts";

/** One numbered SQL file from `migrations/`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Raised when the recorded migrations and the files disagree; start-up must stop. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

export const migrationsDir = new URL("../../migrations/", import.meta.url);

// Any fixed number works; it only has to be the same for every instance of this app
const migrationLockKey = 726_151_001;

/** Reads `NNNN_name.sql` files in version order, with their SHA-256 checksums. */
export async function readMigrations(dir: URL = migrationsDir): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: Number(match[1]), name: entry.name, sql: text, checksum: await sha256(text) });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new MigrationError(
        `Two migrations share version ${migrations[i].version}: "${migrations[i - 1].name}" and "${
          migrations[i].name
        }"`,
      );
    }
  }
  return migrations;
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * instances starting together take turns. Refuses to start when an applied file was edited.
 * @returns the names applied by this call and the schema version afterwards
 */
export async function migrate(
  sql: Sql,
  migrations: Migration[],
): Promise<{ applied: string[]; version: number }> {
  // A reserved connection: the advisory lock belongs to a session, so every statement must use it
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${migrationLockKey})`;
    try {
      await conn`
        create table if not exists schema_migrations (
          version integer primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`;
      const recorded = await conn<{ version: number; name: string; checksum: string }[]>`
        select version, name, checksum from schema_migrations order by version`;
      const byVersion = new Map(recorded.map((row) => [row.version, row]));
      for (const row of recorded) {
        const file = migrations.find((m) => m.version === row.version);
        if (!file) {
          throw new MigrationError(
            `Migration "${row.name}" is recorded in the database but its file is missing: this code is older than the database`,
          );
        }
        if (file.checksum !== row.checksum) {
          throw new MigrationError(
            `Migration "${file.name}" was edited after it was applied (checksum ${
              file.checksum.slice(0, 12)
            } != ${row.checksum.slice(0, 12)}): restore the file and put the change in a new migration`,
          );
        }
      }
      const applied: string[] = [];
      for (const migration of migrations) {
        if (byVersion.has(migration.version)) continue;
        await conn.unsafe("begin");
        try {
          await conn.unsafe(migration.sql);
          await conn`
            insert into schema_migrations (version, name, checksum)
            values (${migration.version}, ${migration.name}, ${migration.checksum})`;
          await conn.unsafe("commit");
        } catch (error) {
          await conn.unsafe("rollback");
          throw new MigrationError(`Migration "${migration.name}" failed: ${(error as Error).message}`);
        }
        applied.push(migration.name);
      }
      const version = migrations.length ? migrations[migrations.length - 1].version : 0;
      return { applied, version };
    } finally {
      await conn`select pg_advisory_unlock(${migrationLockKey})`;
    }
  } finally {
    conn.release();
  }
}

/** The newest applied migration's version, or 0 on an empty database. */
export async function schemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql<[{ version: number | null }]>`
    select max(version) as version from schema_migrations`;
  return row.version ?? 0;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
