import { site } from "../../fresh.config.ts";
import { loadConfig } from "../config.ts";
import { createLogger, type Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { type RunningApp, startApp } from "../app/start.ts";
import { join } from "node:path";
import { connect } from "../db/sql.ts";
import { createServerDatabase, fillEmbeddedDataDir } from "./test_database.ts";

/** A real HTTP server of the app on a free port, on a database of its own. */
export interface TestApp extends RunningApp {
  /** fetch() relative to the app's URL */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * A prepared app's database, kept after the app stopped, that `startTestApp({ from })` copies (its
 * `pgdata` folder on the embedded database, a template database on PostgreSQL). Made by `snapshotTestApp`.
 */
export interface TestAppSnapshot {
  pgdata?: string;
  database?: string;
}

/**
 * Starts the app on port 0: with DATABASE_URL, on a fresh database of that server (dropped on
 * stop); without it, on an embedded database in a temporary folder. `env` adds settings; `from` starts
 * on a copy of a snapshot's database instead of an empty, migrated one.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    prepare?: (services: Services) => Promise<void>;
    /** where the app logs (default: stderr, at TEST_LOG_LEVEL or error) */
    log?: Logger;
    from?: TestAppSnapshot;
    /** keep the database when the app stops (`snapshotTestApp`) */
    keep?: (snapshot: TestAppSnapshot) => void;
  } = {},
): Promise<TestApp> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  const redisUrl = Deno.env.get("REDIS_URL");
  const env: Record<string, string> = { PORT: "0", JOBS: "off", ...options.env };
  let dropDatabase = async () => {};
  let tempDir: string | undefined;
  let database: string | undefined;
  if (serverUrl && !env.DATABASE_URL) {
    const created = await createServerDatabase(serverUrl, {
      prefix: options.keep ? `techmart_snapshot_${Math.floor(Date.now() / 1000)}` : "techmart_app",
      template: options.from?.database,
    });
    env.DATABASE_URL = created.url;
    dropDatabase = created.drop;
    database = created.name;
  } else if (!env.DATABASE_URL && !env.DATA_DIR) {
    tempDir = await Deno.makeTempDir({ prefix: "techmart-app-" });
    env.DATA_DIR = tempDir;
  }
  if (redisUrl && !env.REDIS_URL) env.REDIS_URL = redisUrl;
  // a migrated copy: the app's own migrate() then finds nothing to do (initdb + migrations cost seconds)
  if (tempDir) {
    await fillEmbeddedDataDir(tempDir, {
      newInstallationId: env.REDIS_URL !== undefined,
      from: options.from?.pgdata,
    });
  }
  const log = options.log ?? createLogger((Deno.env.get("TEST_LOG_LEVEL") as "debug" | undefined) ?? "error");
  const dropStorage = async () => {
    await dropDatabase();
    if (tempDir) await Deno.remove(tempDir, { recursive: true }).catch(() => {});
  };
  let app: RunningApp;
  try {
    app = await startApp(loadConfig(env), { log, prepare: options.prepare, site });
  } catch (error) {
    // a start that fails (a test of it, a port taken) leaves no database or folder behind
    await dropStorage();
    throw error;
  }
  return {
    ...app,
    fetch: (path, init) => fetch(new URL(path, app.url), init),
    async stop() {
      await app.stop();
      if (options.keep) {
        options.keep(tempDir ? { pgdata: join(tempDir, "pgdata") } : { database });
        return;
      }
      await dropStorage();
    },
  };
}

/**
 * Prepares an app once (`prepare`), stops it and keeps its database as a snapshot for
 * `startTestApp({ from })`: the sample shop's import and derivations cost 5-10 s per app, a copy a
 * fraction of that. Its data is dated when it was made (a test process runs minutes, not days). The
 * snapshot goes with the process: its folder on exit, its database (a template only this process uses)
 * by the next process that makes one, an hour later.
 */
export async function snapshotTestApp(
  prepare: (services: Services) => Promise<void>,
  options: {
    /** keep its folder when the file that made it ends, for the process's other files (`processSnapshot`) */
    untilProcessEnds?: boolean;
  } = {},
): Promise<TestAppSnapshot> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  if (serverUrl) await dropOldSnapshots(serverUrl);
  let snapshot: TestAppSnapshot = {};
  const app = await startTestApp({ prepare, keep: (kept) => snapshot = kept });
  await app.stop();
  const folder = snapshot.pgdata && join(snapshot.pgdata, "..");
  if (folder && !options.untilProcessEnds) {
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(folder, { recursive: true });
      } catch { /* already gone */ }
    });
  }
  return snapshot;
}

/**
 * One snapshot per test process (`deno test` runs every file in one process, each file with modules of its
 * own): the first file that asks prepares it, the others copy it. `name` names what `prepare` makes; the
 * hour is part of the key, so a snapshot is never used in an hour (or on a day) other than the one its data
 * was dated in. Files of processes that ended are removed by the next process that makes one; their
 * databases as `snapshotTestApp` says.
 */
export async function processSnapshot(
  name: string,
  prepare: (services: Services) => Promise<void>,
): Promise<TestAppSnapshot> {
  const root = join(Deno.env.get("TMPDIR") ?? "/tmp", "techmart-test-snapshots");
  const kind = Deno.env.get("DATABASE_URL") ? "postgres" : "embedded";
  const hour = Math.floor(Date.now() / 3_600_000);
  // a process is its pid and its start time: a pid used again by a later process names another owner
  const owner = await processKey(Deno.pid);
  // without /proc (not Linux) no key is safe to share: each file prepares its own
  if (owner === undefined) return await snapshotTestApp(prepare);
  const marker = join(root, `${owner}-${kind}-${name}-${hour}.json`);
  try {
    return JSON.parse(await Deno.readTextFile(marker));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(root, { recursive: true });
  await removeSnapshotsOfEndedProcesses(root);
  const snapshot = await snapshotTestApp(prepare, { untilProcessEnds: true });
  // written whole, then renamed: a file never sees half a marker
  await Deno.writeTextFile(`${marker}.tmp`, JSON.stringify(snapshot));
  await Deno.rename(`${marker}.tmp`, marker);
  return snapshot;
}

async function removeSnapshotsOfEndedProcesses(root: string): Promise<void> {
  for await (const entry of Deno.readDir(root)) {
    const owner = entry.name.split("-")[0];
    if (!/^\d+_\d+$/.test(owner) || await processKey(Number(owner.split("_")[0])) === owner) continue;
    const path = join(root, entry.name);
    if (entry.name.endsWith(".json")) {
      try {
        const { pgdata } = JSON.parse(await Deno.readTextFile(path)) as TestAppSnapshot;
        if (pgdata) await Deno.remove(join(pgdata, ".."), { recursive: true }).catch(() => {});
      } catch { /* a marker cut short: only the marker to remove */ }
    }
    await Deno.remove(path, { recursive: true }).catch(() => {});
  }
}

/** `pid_starttime` of a running process (from /proc), or undefined when none runs with that pid. */
async function processKey(pid: number): Promise<string | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // the fields after the command's closing parenthesis: state is the 3rd field, starttime the 22nd
    const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return `${pid}_${started}`;
  } catch {
    return undefined;
  }
}

/** Snapshot databases left by processes that ended (named by the second they were made). */
async function dropOldSnapshots(serverUrl: string): Promise<void> {
  const admin = connect(serverUrl, { max: 1 });
  try {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const old = await admin<{ datname: string }[]>`
      select datname from pg_database
      where datname ~ '^techmart_snapshot_[0-9]+_' and split_part(datname, '_', 3)::bigint < ${hourAgo}`;
    for (const { datname } of old) {
      await admin.unsafe(`drop database if exists ${datname} with (force)`).catch(() => {});
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}
