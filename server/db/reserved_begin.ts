import type postgres from "postgres";

// the pool type of sql.ts, named here without importing it (sql.ts installs this function)
type Sql = postgres.Sql<Record<string, unknown>>;

/**
 * postgres.js 3.4.9 (the latest) can send a transaction's BEGIN without reserving the connection for
 * it: the hook that reserves it is the last term of a short-circuit `&&` in `Connection.execute`, so
 * it is skipped when BEGIN is the query that fills the connection's pipeline (100 queued) or meets
 * socket back-pressure (porsager/postgres#1189, open upstream). The transaction's queries then have
 * no connection (they throw "Cannot read properties of undefined (reading 'queue')" from a promise
 * nobody awaits, which ends a test run or a process), and the backend stays inside a transaction
 * that the pool's next, unrelated queries share. Seen here under 200 concurrent sales on the one
 * embedded connection. A reserved connection is handed out idle, with nothing pipelined on it, so
 * BEGIN goes first and every query of the transaction follows on that connection.
 *
 * Replaces `sql.begin` (every caller keeps `sql.begin(async (tx) => ...)`); savepoints and prepared
 * transactions are not offered, and nothing here uses them.
 */
export function beginOnReservedConnection(sql: Sql): void {
  const begin = async (mode: unknown, body?: unknown): Promise<unknown> => {
    const fn = (typeof mode === "function" ? mode : body) as (tx: unknown) => unknown;
    const options = typeof mode === "string" ? mode.replace(/[^a-z ]/gi, "") : "";
    const tx = await sql.reserve();
    try {
      await tx.unsafe(`begin ${options}`);
      try {
        const work = fn(tx);
        const result = await (Array.isArray(work) ? Promise.all(work) : work);
        await tx`commit`;
        return result;
      } catch (error) {
        // a broken connection cannot roll back, and the server ends its transaction with it
        await tx`rollback`.catch(() => {});
        throw error;
      }
    } finally {
      tx.release();
    }
  };
  sql.begin = begin as Sql["begin"];
}
