import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { connect } from "./sql.ts";

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
