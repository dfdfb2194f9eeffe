import type { Sql } from "../db/mod.ts";

/** Timings of one statement text on this instance since the last flush. */
export interface QueryTiming {
  query: string;
  calls: number;
  totalMs: number;
  maxMs: number;
  rows: number;
  /** parameters of the slowest call, so the analysis can EXPLAIN it */
  sampleParams: unknown[];
}

/** This instance's query timings, aggregated per statement text. */
export interface QueryTimingRecorder {
  record(query: string, ms: number, rows: number, params: unknown[]): void;
  /** Takes the timings gathered so far and starts over. */
  drain(): QueryTiming[];
}

/** Statements longer than this are stored cut: enough to recognise and EXPLAIN the usual ones. */
const maxQueryLength = 8000;
/** At most this many distinct statements between flushes; the rest are dropped, not grown into. */
const maxStatements = 2000;

/** The fields postgres.js leaves on a query once it has been sent. */
interface ExecutedQuery {
  then: (
    onFulfilled?: (value: unknown) => unknown,
    onRejected?: (reason: unknown) => unknown,
  ) => Promise<unknown>;
  statement?: { string: string };
  parameters?: unknown[];
}

/** A recorder keeping per-statement counts, total and worst time. */
export function createQueryTimingRecorder(): QueryTimingRecorder {
  let timings = new Map<string, QueryTiming>();
  return {
    record(query, ms, rows, params) {
      const text = query.length > maxQueryLength ? query.slice(0, maxQueryLength) : query;
      let timing = timings.get(text);
      if (!timing) {
        if (timings.size >= maxStatements) return;
        timing = { query: text, calls: 0, totalMs: 0, maxMs: 0, rows: 0, sampleParams: [] };
        timings.set(text, timing);
      }
      timing.calls++;
      timing.totalMs += ms;
      timing.rows += rows;
      if (ms >= timing.maxMs) {
        timing.maxMs = ms;
        timing.sampleParams = params.map(sampleValue);
      }
    },
    drain() {
      const drained = [...timings.values()];
      timings = new Map();
      return drained;
    },
  };
}

/**
 * The pool, timing every awaited top-level query into `recorder` (statement text with `$n`
 * placeholders, fragments expanded). Helpers and transactions pass through untouched: only a
 * query that is actually awaited is timed, from the moment it is. Gives the slow-query analysis the
 * app's own timings where pg_stat_statements is not loaded (the embedded database, most servers).
 */
export function instrumentSql(sql: Sql, recorder: QueryTimingRecorder): Sql {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const result = Reflect.apply(target, thisArg, args);
      const strings = args[0] as TemplateStringsArray | undefined;
      if (!Array.isArray(strings) || !("raw" in strings) || typeof result?.then !== "function") return result;
      const query = result as ExecutedQuery;
      const originalThen = query.then;
      query.then = function (
        onFulfilled?: (value: unknown) => unknown,
        onRejected?: (reason: unknown) => unknown,
      ) {
        const started = performance.now();
        return originalThen.call(
          query,
          (value: unknown) => {
            // The statement as sent (fragments expanded, $n placeholders) and its serialised parameters
            const text = query.statement?.string;
            if (text) {
              const rows = Array.isArray(value) ? value.length : 0;
              recorder.record(normalise(text), performance.now() - started, rows, query.parameters ?? []);
            }
            return onFulfilled ? onFulfilled(value) : value;
          },
          onRejected,
        );
      };
      return result;
    },
  }) as Sql;
}

/** Writes the drained timings into query_timings (one row per statement per hour, summed). */
export async function flushQueryTimings(
  sql: Sql,
  recorder: QueryTimingRecorder,
  now = new Date(),
): Promise<number> {
  const timings = recorder.drain();
  if (timings.length === 0) return 0;
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const rows = await Promise.all(timings.map(async (t) => ({
    query_hash: await hashText(t.query),
    hour,
    query: t.query,
    calls: t.calls,
    total_ms: t.totalMs,
    max_ms: t.maxMs,
    rows: t.rows,
    sample_params: JSON.stringify(t.sampleParams),
  })));
  await sql`
    insert into query_timings (query_hash, hour, query, calls, total_ms, max_ms, rows, sample_params)
    select query_hash, hour, query, calls, total_ms, max_ms, rows, sample_params::jsonb
    from json_to_recordset(${sql.json(rows as never)}::json)
      as x(query_hash text, hour timestamptz, query text, calls bigint, total_ms float8, max_ms float8,
           rows bigint, sample_params text)
    on conflict (query_hash, hour) do update set
      calls = query_timings.calls + excluded.calls,
      total_ms = query_timings.total_ms + excluded.total_ms,
      rows = query_timings.rows + excluded.rows,
      sample_params = case when excluded.max_ms > query_timings.max_ms then excluded.sample_params
                           else query_timings.sample_params end,
      max_ms = greatest(query_timings.max_ms, excluded.max_ms)`;
  return rows.length;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function sampleValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
    return typeof value === "string" && value.length > 200 ? value.slice(0, 200) : value;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map(sampleValue);
  return String(value);
}

async function hashText(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
