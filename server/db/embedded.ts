import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { join } from "node:path";

/** An embedded PostgreSQL (PGlite) persisted in a folder and served on a loopback port. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Raised when another process already holds the data folder. */
export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

/**
 * Starts PGlite in `dataDir`, guarded by an exclusive lock so two processes never open the same
 * files (PGlite itself takes no lock, and two writers would corrupt the database).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  await Deno.mkdir(dataDir, { recursive: true });
  const lockFile = await Deno.open(join(dataDir, "techmart.lock"), { create: true, write: true });
  // flock is released by the kernel even on SIGKILL, so a crashed run never leaves a stale lock
  if (!(await lockFile.tryLock(true))) {
    lockFile.close();
    throw new DataDirLockedError(
      `Cannot open the embedded database in "${dataDir}": another TechMart process is using it (stop it, or set DATA_DIR to another folder)`,
    );
  }
  await lockFile.truncate();
  await lockFile.write(new TextEncoder().encode(`${Deno.pid}\n`));

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(join(dataDir, "pgdata"));
    // one connection only: the socket server's multiplexer loses portals under concurrency
    server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
    await server.start();
  } catch (error) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    lockFile.close();
    throw error;
  }
  const address = server.getServerConn();
  const port = Number(address.slice(address.lastIndexOf(":") + 1));
  const runningServer = server;
  const runningDb = db;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await runningServer.stop();
      await runningDb.close();
      await lockFile.unlock();
      lockFile.close();
    },
  };
}
