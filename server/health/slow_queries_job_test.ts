import assert from "node:assert/strict";
import { insertProduct } from "../analytics/analytics_fixtures.ts";
import { createQueryTimingRecorder, flushQueryTimings, instrumentSql } from "./query_timings.ts";
import { latestSlowQueryAnalysis } from "./slow_query_queries.ts";
import { openTestServices } from "../testing/test_services.ts";
import { runSlowQueryAnalysis } from "./slow_queries_job.ts";

Deno.test("the slow-query job ranks the app's own timings and stores each with its plan", async () => {
  const test = await openTestServices();
  try {
    const recorder = createQueryTimingRecorder();
    const timed = instrumentSql(test.services.db.sql, recorder);
    const product = await insertProduct(test.services.db.sql, { priceCents: 500 });
    // A fragment inside a query, a helper, and a transaction still work through the instrumented pool
    const filter = timed`and id = ${product}`;
    const rows = await timed`select id, name from products where true ${filter}`;
    assert.equal(rows.length, 1);
    await timed.begin((tx) => tx`select 1`);
    // far slower than the first read of a cold embedded database can be on a loaded machine (that read
    // once took over 50 ms in CI and outranked a 50 ms sleep)
    await timed`select pg_sleep(0.4), ${"x"}::text as label`;
    const flushed = await flushQueryTimings(test.services.db.sql, recorder);
    assert.equal(flushed, 2);

    const result = await runSlowQueryAnalysis(test.services, { limit: 5 });
    const analysis = await latestSlowQueryAnalysis(test.services.db.sql);
    assert.ok(analysis);
    // This test server has no pg_stat_statements loaded (nor does the embedded one)
    assert.equal(analysis.source, result.details?.source);
    if (analysis.source === "app_timings") {
      assert.equal(analysis.queries.length, 2);
      assert.match(analysis.queries[0].query, /pg_sleep/);
      assert.ok(analysis.queries[0].meanMs >= 390);
      assert.match(analysis.queries[1].query, /from products where true and id = \$1/);
      assert.match(analysis.queries[1].plan ?? "", /Scan/);
    }
  } finally {
    await test.close();
  }
});
