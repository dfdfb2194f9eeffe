import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { connect, connectSalePool, type Sql } from "./sql.ts";
import { isDatabaseUnavailable } from "./unavailable.ts";
import { shownAddress } from "../shared/shown_address.ts";

export type { Sql, TransactionSql } from "./sql.ts";
export { DataDirLockedError } from "./embedded.ts";

/** The app's database: a postgres.js pool and how to close it. */
export interface Database {
  sql: Sql;
  /** the sale path's pool (`connectSalePool`); the same as `sql` on the embedded database */
  saleSql: Sql;
  kind: "embedded" | "postgres";
  /** Connection URL (for the embedded database, its loopback socket). */
  url: string;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PGlite in DATA_DIR when no URL is set.
 */
export async function openDatabase(
  config: Pick<Config, "DATABASE_URL" | "DATA_DIR">,
  log: Logger,
): Promise<Database> {
  if (config.DATABASE_URL) {
    const sql = connect(config.DATABASE_URL, { max: 20 });
    let saleSql: Sql;
    try {
      // its first query is the first time the server is reached
      saleSql = await connectSalePool(config.DATABASE_URL);
    } catch (cause) {
      await sql.end({ timeout: 1 });
      if (!isDatabaseUnavailable(cause)) throw cause;
      throw new Error(
        `Cannot reach PostgreSQL at ${shownAddress(config.DATABASE_URL)} (${(cause as Error).message}): ` +
          "is it running? Check DATABASE_URL, or leave it unset to use the embedded database",
        { cause },
      );
    }
    return {
      sql,
      saleSql,
      kind: "postgres",
      url: config.DATABASE_URL,
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), saleSql.end({ timeout: 5 })]);
      },
    };
  }
  const startedAt = performance.now();
  const embedded = await startEmbeddedPostgres(config.DATA_DIR);
  log.info("embedded database started", {
    dataDir: config.DATA_DIR,
    ms: Math.round(performance.now() - startedAt),
  });
  // PGlite runs one query at a time; one connection that never idles out is the stable setup
  const sql = connect(embedded.url, { max: 1, idleTimeout: 0 });
  return {
    sql,
    saleSql: sql,
    kind: "embedded",
    url: embedded.url,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}
