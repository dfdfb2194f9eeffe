import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { connect } from "./sql.ts";
import { isDatabaseUnavailable } from "./unavailable.ts";

// postgres.js pipelines up to 100 queries behind the one running on a connection; upstream, a BEGIN
// that lands exactly on that boundary skipped reserving its connection (porsager/postgres#1189)
const pipelineDepth = 100;

Deno.test("a transaction begun when the connection's pipeline is full still runs alone on its connection", async () => {
  const db = await openTestDatabase({ migrated: false });
  // one connection, as the embedded database has, so every query below queues on the same one
  const sql = connect(db.url, { max: 1, idleTimeout: 0 });
  try {
    await sql`select 1`;
    for (let round = 0; round < 3; round++) {
      // sent now (a query waits for its first await otherwise), and without parameters: a query with one
      // is described first, which stops the pipeline before the boundary
      const queued = Array.from({ length: pipelineDepth }, () => sql`select 1 as n`.execute());
      // a setting made local to the transaction is seen inside it, and by nothing after it
      const transaction = sql.begin(async (tx) => {
        await tx`select set_config('techmart.probe', 'inside', true)`;
        const [{ probe }] = await tx`select current_setting('techmart.probe', true) as probe`;
        return probe;
      });
      const after = sql`select coalesce(current_setting('techmart.probe', true), '') as probe`;
      const [answers, inside, [{ probe: outside }]] = await Promise.all([
        Promise.all(queued),
        transaction,
        after,
      ]);
      assert.deepEqual(answers.map(([row]) => row.n), Array(pipelineDepth).fill(1));
      assert.equal(inside, "inside", "the transaction's queries ran inside one transaction");
      assert.equal(outside, "", "a query after the transaction is not inside it");
    }
    // and a failing transaction rolls back and leaves the connection usable
    await assert.rejects(sql.begin(async (tx) => {
      await tx`create temporary table scratch (n int)`;
      await tx`select 1 / 0`;
    }));
    const [{ tables }] = await sql`select count(*)::int as tables from pg_tables where tablename = 'scratch'`;
    assert.equal(tables, 0);
  } finally {
    await sql.end({ timeout: 5 });
    await db.close();
  }
});

/** How `promise` ends, taken from the moment it is made, so its failure is never an unhandled rejection. */
function outcomeOf(promise: Promise<unknown>): Promise<{ failed: boolean; error?: unknown }> {
  return promise.then(() => ({ failed: false }), (error) => ({ failed: true, error }));
}

// A hang fails the step here, naming what hung, instead of stalling the run
function settlesWithin<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

Deno.test({
  name:
    "a transaction whose connection closes under it fails at once, and the pool's next queries do not hang",
  // the server ends the backend as a restart does; the embedded database has one backend and no such call
  ignore: !Deno.env.get("DATABASE_URL"),
  async fn(t) {
    const db = await openTestDatabase({ migrated: false });
    // one connection, so the pool's next query can only run on the connection that closed
    const sql = connect(db.url, { max: 1, idleTimeout: 0 });
    const killer = connect(db.url, { max: 1 });
    const end = (pid: number) => killer`select pg_terminate_backend(${pid})`;
    try {
      await t.step("closed while the transaction waits between queries", async () => {
        const between = Promise.withResolvers<void>();
        const backend = Promise.withResolvers<number>();
        // its outcome is taken at once: it may fail while the kill below is still awaited, and a rejection
        // nobody had taken yet would end the run as an uncaught error
        const transaction = outcomeOf(sql.begin(async (tx) => {
          const [{ pid }] = await tx`select pg_backend_pid() as pid`;
          backend.resolve(pid);
          await between.promise;
          return await tx`select 1 as n`;
        }));
        await end(await backend.promise);
        const failure = (await settlesWithin(transaction, "the transaction")).error;
        assert.equal((failure as { code?: string } | undefined)?.code, "CONNECTION_CLOSED");
        between.resolve(); // the body's next query fails at once instead of hanging
        for (let i = 0; i < 3; i++) {
          const [{ n }] = await settlesWithin(sql`select ${i}::int as n`, `pool query ${i}`);
          assert.equal(n, i);
        }
      });

      await t.step("closed while one of its queries runs", async () => {
        const backend = Promise.withResolvers<number>();
        const transaction = outcomeOf(sql.begin(async (tx) => {
          const [{ pid }] = await tx`select pg_backend_pid() as pid`;
          backend.resolve(pid);
          await tx`select pg_sleep(30)`;
        }));
        const pid = await backend.promise;
        // until the server says the backend sleeps, so the close lands during the query
        while (
          (await killer`select wait_event from pg_stat_activity where pid = ${pid}`)[0]?.wait_event !==
            "PgSleep"
        ) await new Promise((resolve) => setTimeout(resolve, 5));
        await end(pid);
        assert.equal((await settlesWithin(transaction, "the transaction")).failed, true);
        // postgres.js keeps the server's "terminating connection" error and hands it to the first query
        // that reconnects the connection (upstream): that one may fail as unavailable, none may hang
        const first = await settlesWithin(
          sql`select 0 as n`.then(() => undefined, (error) => error),
          "pool query",
        );
        if (first) assert.ok(isDatabaseUnavailable(first), `a connection error, not ${first}`);
        const answers = await settlesWithin(
          Promise.all([1, 2, 3].map((i) => sql`select ${i}::int as n`)),
          "pool queries",
        );
        assert.deepEqual(answers.map(([row]) => row.n), [1, 2, 3]);
        // and a transaction after it runs whole
        const [{ n }] = await settlesWithin(sql.begin((tx) => tx`select 7 as n`), "the next transaction");
        assert.equal(n, 7);
      });
    } finally {
      await Promise.all([sql.end({ timeout: 5 }), killer.end({ timeout: 5 })]);
      await db.close();
    }
  },
});
