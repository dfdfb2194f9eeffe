import type { Sql } from "../db/mod.ts";

/** One statement's timings, as pg_stat_statements or the app's own timings report them. */
interface StatementTimings {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rowsPerCall: number | null;
}

/** One of the slowest statements of an analysis, with its plan. */
export interface SlowQuery extends StatementTimings {
  rank: number;
  plan: string | null;
  planError: string | null;
}

export interface SlowQueryAnalysis {
  analysedAt: Date;
  source: "pg_stat_statements" | "app_timings";
  queries: SlowQuery[];
}

interface Candidate extends StatementTimings {
  params: unknown[] | null;
}

/**
 * Finds the slowest statements by mean time (pg_stat_statements when the server loads it, else the
 * app's own timings of the last week), EXPLAINs each (plain EXPLAIN: nothing is executed) and
 * stores them as one analysis.
 */
export async function analyseSlowQueries(
  sql: Sql,
  options: { now: Date; limit?: number },
): Promise<SlowQueryAnalysis> {
  const limit = options.limit ?? 10;
  let source: SlowQueryAnalysis["source"] = "pg_stat_statements";
  let candidates = await statementStatistics(sql, limit);
  if (!candidates) {
    source = "app_timings";
    candidates = await appTimings(sql, options.now, limit);
  }
  const queries: SlowQuery[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const { plan, planError } = await explain(sql, candidate);
    queries.push({
      rank: index + 1,
      query: candidate.query,
      calls: candidate.calls,
      totalMs: candidate.totalMs,
      meanMs: candidate.meanMs,
      maxMs: candidate.maxMs,
      rowsPerCall: candidate.rowsPerCall,
      plan,
      planError,
    });
  }
  await sql.begin(async (tx) => {
    for (const q of queries) {
      await tx`
        insert into slow_query_reports (analysed_at, source, rank, query, calls, total_ms, mean_ms, max_ms,
                                        rows_per_call, plan, plan_error)
        values (${options.now}, ${source}, ${q.rank}, ${q.query}, ${q.calls}, ${q.totalMs}, ${q.meanMs}, ${q.maxMs},
                ${q.rowsPerCall}, ${q.plan}, ${q.planError})`;
    }
    // Keep a quarter of weekly analyses, two weeks of raw timings
    await tx`delete from slow_query_reports where analysed_at < ${new Date(
      options.now.getTime() - 84 * 86_400_000,
    )}`;
    await tx`delete from query_timings where hour < ${new Date(options.now.getTime() - 14 * 86_400_000)}`;
  });
  return { analysedAt: options.now, source, queries };
}

async function statementStatistics(sql: Sql, limit: number): Promise<Candidate[] | undefined> {
  try {
    const rows = await sql<Omit<Candidate, "params">[]>`
      select query, calls, total_exec_time as "totalMs", mean_exec_time as "meanMs", max_exec_time as "maxMs",
             rows::float8 / greatest(calls, 1) as "rowsPerCall"
      from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
        and query !~* '^\\s*(explain|begin|commit|rollback|set|reset|show|deallocate|discard)'
      order by mean_exec_time desc
      limit ${limit}`;
    return rows.map((row) => ({ ...row, params: null }));
  } catch {
    // Not installed, or installed without shared_preload_libraries: the view cannot be read
    return undefined;
  }
}

async function appTimings(sql: Sql, now: Date, limit: number): Promise<Candidate[]> {
  return await sql<Candidate[]>`
    with week as (
      select * from query_timings
      where hour >= ${new Date(now.getTime() - 7 * 86_400_000)}
        and query !~* '^\\s*(explain|begin|commit|rollback|set|reset|show|copy)'
    ),
    totals as (
      select query_hash, sum(calls)::bigint as calls, sum(total_ms) as total_ms, max(max_ms) as max_ms,
             sum(rows)::float8 / greatest(sum(calls), 1) as rows_per_call
      from week group by query_hash
    )
    select s.query, t.calls, t.total_ms as "totalMs", t.total_ms / greatest(t.calls, 1) as "meanMs",
           t.max_ms as "maxMs", t.rows_per_call as "rowsPerCall", s.sample_params as params
    from totals t
    cross join lateral (
      select w.query, w.sample_params from week w where w.query_hash = t.query_hash order by w.max_ms desc limit 1
    ) s
    order by "meanMs" desc
    limit ${limit}`;
}

async function explain(
  sql: Sql,
  candidate: Candidate,
): Promise<{ plan: string | null; planError: string | null }> {
  const placeholders = [...candidate.query.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  const needed = placeholders.length ? Math.max(...placeholders) : 0;
  const params = candidate.params ?? [];
  if (needed > params.length) {
    return { plan: null, planError: `Needs ${needed} parameters and no sample call recorded them` };
  }
  try {
    const rows = await sql.unsafe(`explain ${candidate.query}`, params.slice(0, needed) as never[]);
    return { plan: rows.map((row) => String(Object.values(row)[0])).join("\n"), planError: null };
  } catch (error) {
    return { plan: null, planError: (error as Error).message.slice(0, 500) };
  }
}

/** The newest analysis, or undefined before the first one. */
export async function latestSlowQueryAnalysis(sql: Sql): Promise<SlowQueryAnalysis | undefined> {
  const rows = await sql<(SlowQuery & { analysedAt: Date; source: SlowQueryAnalysis["source"] })[]>`
    select analysed_at as "analysedAt", source, rank, query, calls, total_ms as "totalMs", mean_ms as "meanMs",
           max_ms as "maxMs", rows_per_call as "rowsPerCall", plan, plan_error as "planError"
    from slow_query_reports
    where analysed_at = (select max(analysed_at) from slow_query_reports)
    order by rank`;
  if (rows.length === 0) return undefined;
  return {
    analysedAt: rows[0].analysedAt,
    source: rows[0].source,
    queries: rows.map(({ analysedAt: _a, source: _s, ...query }) => query),
  };
}
