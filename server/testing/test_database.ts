import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { connect, connectSalePool } from "../db/sql.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrate, readMigrations } from "../db/migrate.ts";
import type { Sql } from "../db/sql.ts";

/** A migrated, empty database of its own for one test file. */
export interface TestDatabase {
  sql: Sql;
  /** the sale path's pool, as the app opens it (the same as `sql` on the embedded database) */
  saleSql: Sql;
  url: string;
  kind: "embedded" | "postgres";
  close(): Promise<void>;
}

/**
 * With DATABASE_URL set, creates a fresh database on that server (dropped on close); without it,
 * an embedded PGlite in a temporary folder. Either way the schema is migrated.
 */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const serverUrl = Deno.env.get("DATABASE_URL");
  if (serverUrl) {
    const database = await createServerDatabase(serverUrl, { prefix: "techmart_test", migrated });
    const sql = connect(database.url, { max: 10 });
    const saleSql = await connectSalePool(database.url);
    return {
      sql,
      saleSql,
      url: database.url,
      kind: "postgres",
      async close() {
        await Promise.all([sql.end({ timeout: 5 }), saleSql.end({ timeout: 5 })]);
        await database.drop();
      },
    };
  }
  const dir = await Deno.makeTempDir({ prefix: "techmart-test-" });
  await fillEmbeddedDataDir(dir, { migrated });
  const embedded = await startEmbeddedPostgres(dir);
  const sql = connect(embedded.url, { max: 1, idleTimeout: 0 });
  // the copy would share the template's installation id, and with it a namespace on a shared Redis
  if (migrated) await sql`update installation set id = gen_random_uuid()`;
  return {
    sql,
    saleSql: sql,
    url: embedded.url,
    kind: "embedded",
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Puts a ready PGlite database into `dataDir` (the folder `startEmbeddedPostgres` and `DATA_DIR`
 * take): a copy of a template, empty but for the schema when `migrated`, or of the `pgdata` folder `from`
 * (a stopped app's, `snapshotTestApp`).
 */
export async function fillEmbeddedDataDir(
  dataDir: string,
  options: { migrated?: boolean; newInstallationId?: boolean; from?: string } = {},
): Promise<void> {
  const pgdata = join(dataDir, "pgdata");
  await copyTree(options.from ?? await embeddedTemplate(options.migrated ?? true), pgdata);
  if (options.newInstallationId) {
    // an app on a shared Redis keys its cache, counters and events by this id: each copy needs its own
    const db = await PGlite.create(pgdata);
    try {
      await db.query("update installation set id = gen_random_uuid()");
    } finally {
      await db.close();
    }
  }
}

/**
 * A new database on the PostgreSQL server at `serverUrl`, copied from a migrated template database
 * (`create database ... template`, a file copy) when `migrated`, or from the database `template` (a
 * stopped app's, `snapshotTestApp`), with an installation id of its own.
 */
export async function createServerDatabase(
  serverUrl: string,
  options: { prefix: string; migrated?: boolean; template?: string },
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${options.prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = connect(serverUrl, { max: 1 });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    if (options.migrated ?? true) {
      const template = options.template ?? await serverTemplate(serverUrl, admin);
      await admin.unsafe(`create database ${name} template ${template}`);
      // the copy would share the template's installation id, and with it a namespace on the shared Redis
      const sql = connect(url.toString(), { max: 1 });
      await sql`update installation set id = gen_random_uuid()`.finally(() => sql.end({ timeout: 5 }));
    } else {
      await admin.unsafe(`create database ${name}`);
    }
  } catch (error) {
    await admin.end();
    throw error;
  }
  return {
    url: url.toString(),
    name,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let serverTemplateName: Promise<string> | undefined;

/** The migrated template database on the server, made once and named by the migrations' hash. */
function serverTemplate(serverUrl: string, admin: Sql): Promise<string> {
  serverTemplateName ??= (async () => {
    const migrations = await readMigrations();
    const name = `techmart_template_${await migrationsHash(migrations)}`;
    const [found] = await admin`select 1 as found from pg_database where datname = ${name}`;
    if (found) return name;
    const building = `techmart_template_building_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await admin.unsafe(`create database ${building}`);
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const sql = connect(url.toString(), { max: 1 });
    try {
      await migrate(sql, migrations);
    } finally {
      await sql.end({ timeout: 5 });
    }
    // a rename is atomic: a parallel run that built the same template first wins, and ours goes
    try {
      await admin.unsafe(`alter database ${building} rename to ${name}`);
    } catch (error) {
      await admin.unsafe(`drop database if exists ${building} with (force)`);
      const [now] = await admin`select 1 as found from pg_database where datname = ${name}`;
      if (!now) throw error;
    }
    return name;
  })();
  serverTemplateName.catch(() => serverTemplateName = undefined);
  return serverTemplateName;
}

async function migrationsHash(migrations: { name: string; checksum: string }[], extra: string[] = []) {
  const identity = [...extra, ...migrations.map((migration) => `${migration.name}:${migration.checksum}`)]
    .join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(identity));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

const templates = new Map<string, Promise<string>>();

/**
 * A PGlite data folder made once (initdb, and the migrations when `migrated`) and copied for every
 * test database: initdb and ~170 migrations cost seconds per database, a copy a tenth of that. The
 * folder is named by a hash of the migrations and the PGlite version, so a changed migration or
 * upgrade builds a new one, and it outlives the run, so the next run starts warm.
 */
function embeddedTemplate(migrated: boolean): Promise<string> {
  const key = String(migrated);
  let template = templates.get(key);
  if (!template) {
    template = buildEmbeddedTemplate(migrated);
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

async function buildEmbeddedTemplate(migrated: boolean): Promise<string> {
  const migrations = migrated ? await readMigrations() : [];
  const hash = await migrationsHash(migrations, [import.meta.resolve("@electric-sql/pglite")]);
  const root = join(Deno.env.get("TMPDIR") ?? "/tmp", "techmart-test-templates");
  const ready = join(root, hash);
  try {
    await Deno.stat(join(ready, "PG_VERSION"));
    return ready;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(root, { recursive: true });
  const work = await Deno.makeTempDir({ dir: root, prefix: "building-" });
  try {
    const embedded = await startEmbeddedPostgres(work);
    const sql = connect(embedded.url, { max: 1, idleTimeout: 0 });
    try {
      if (migrated) await migrate(sql, migrations);
    } finally {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    }
    // a rename is atomic: a parallel run either sees the whole folder or builds its own and loses
    await Deno.rename(join(work, "pgdata"), ready).catch(async (error) => {
      if (!(await exists(join(ready, "PG_VERSION")))) throw error;
    });
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return ready;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  const copies: Promise<void>[] = [];
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) copies.push(copyTree(source, target));
    else if (entry.isFile) copies.push(Deno.copyFile(source, target));
  }
  await Promise.all(copies);
}
