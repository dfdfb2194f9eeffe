import type postgres from "postgres";

// the pool type of sql.ts, named here without importing it (sql.ts installs this function)
type Sql = postgres.Sql<Record<string, unknown>>;

/** The parts of a postgres.js connection object this module touches (not in its public types). */
interface PoolConnection {
  /** called once by the pool when the connection's socket closes */
  onclose?: (error?: unknown) => void;
  /** from now on every query on it fails at once (CONNECTION_DESTROYED), until the pool reconnects it */
  terminate(): void;
}

/** What a transaction's caller gets when its connection closed under it (postgres.js's own code). */
function connectionClosedError(cause: unknown): Error {
  const error = new Error("The database connection closed during the transaction", { cause });
  return Object.assign(error, { code: "CONNECTION_CLOSED" });
}

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
 * A reserved connection whose socket closes (the database restarted) needs care of its own: a query
 * sent on it afterwards is written to a dead socket and never settles (porsager/postgres#1130), and
 * releasing it hands the dead connection to the pool's idle list, where the next unrelated query
 * hangs on it. A PostgreSQL restart under load left a request without an answer that way. So the
 * transaction watches its connection: when it closes, the transaction fails at once with
 * CONNECTION_CLOSED (a 503 for the caller), later queries on it fail at once instead of hanging, and
 * neither ROLLBACK (the server already ended the transaction) nor the release is sent; the pool
 * keeps the connection among its closed ones and reconnects it for a later query.
 *
 * Replaces `sql.begin` (every caller keeps `sql.begin(async (tx) => ...)`); savepoints and prepared
 * transactions are not offered, and nothing here uses them.
 */
export function beginOnReservedConnection(sql: Sql): void {
  const begin = async (mode: unknown, body?: unknown): Promise<unknown> => {
    const fn = (typeof mode === "function" ? mode : body) as (tx: unknown) => unknown;
    const options = typeof mode === "string" ? mode.replace(/[^a-z ]/gi, "") : "";
    const tx = await sql.reserve();
    let closed: Error | undefined;
    let connectionLost: (error: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => connectionLost = reject);
    lost.catch(() => {}); // read only by the races below; a transaction that ends first never reads it
    let connection: PoolConnection | undefined;
    // called as BEGIN is written, so a close during BEGIN is seen too; answering true keeps the
    // connection's pipeline open for the transaction's next queries, as without the hook
    const onexecute = (used: PoolConnection) => {
      connection = used;
      used.onclose = (error) => {
        closed = connectionClosedError(error);
        used.terminate();
        connectionLost(closed);
      };
      return true;
    };
    try {
      await tx.unsafe(`begin ${options}`, [], { onexecute } as postgres.UnsafeQueryOptions);
      try {
        const work = fn(tx);
        const result = await Promise.race([Array.isArray(work) ? Promise.all(work) : work, lost]);
        await Promise.race([tx`commit`, lost]);
        return result;
      } catch (error) {
        // a broken connection cannot roll back, and the server ends its transaction with it
        if (!closed) await tx`rollback`.catch(() => {});
        throw error;
      }
    } finally {
      if (!closed) {
        // the pool's connection outlives this transaction: a later close is none of its business
        if (connection) connection.onclose = undefined;
        tx.release();
      }
    }
  };
  sql.begin = begin as Sql["begin"];
}
