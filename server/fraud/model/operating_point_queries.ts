/**
 * The cold-start operating point in PostgreSQL (migration 0241): each sale scored by the shipped prior keeps
 * the prior's own score (`transactions.fraud_prior_score`); the point in force on a UTC day is computed once,
 * from those scores of the `windowDays` before that day (never from the day itself or later), and stored in
 * `fraud_operating_points` (one row per day, written once: a stored day never changes). The sale request
 * reads it through a per-instance cache keyed by the day, so it costs one query per instance and day (while
 * a day has too few scored sales, one every 10 minutes); the Fraud page reads it fresh.
 */
import type { Sql } from "../../db/mod.ts";
import {
  COLD_START_OPERATING,
  DAY_MS,
  dayStartMs,
  type OperatingPoint,
  operatingPointOfCounts,
  type OperatingPointOptions,
  windowDaysOf,
} from "./operating_point.ts";

/** A day without enough scored sales is looked at again after this long (sales may still be imported). */
const EMPTY_RETRY_MS = 10 * 60_000;

/** An operating point with the day it is in force from. */
export interface StoredOperatingPoint extends OperatingPoint {
  effectiveFrom: Date;
  maxReviewRate: number;
}

interface Row {
  effective_from: Date;
  prior_threshold: number;
  review_rate: number;
  shared_review_rate: number;
  sales: number;
  days: number;
  max_review_rate: number;
}

const toPoint = (row: Row): StoredOperatingPoint => ({
  effectiveFrom: row.effective_from,
  priorThreshold: Number(row.prior_threshold),
  reviewRate: Number(row.review_rate),
  sharedReviewRate: Number(row.shared_review_rate),
  sales: row.sales,
  days: row.days,
  maxReviewRate: Number(row.max_review_rate),
});

// the pending or settled read per pool: the sales arriving together at a new day share one computation
const cache = new WeakMap<object, { day: number; at: number; point: Promise<StoredOperatingPoint | null> }>();

/**
 * The operating point in force at `now`: the stored one of now's UTC day, else computed from the prior
 * scores of the window before that day and stored; null when the window holds too few prior-scored sales
 * (then the shared threshold, 50, stays).
 */
export async function operatingPointFor(
  sql: Sql,
  now: Date,
  options: OperatingPointOptions = COLD_START_OPERATING,
  read: { fresh?: boolean } = {},
): Promise<StoredOperatingPoint | null> {
  const day = dayStartMs(now.getTime());
  const cached = cache.get(sql);
  if (!read.fresh && cached && cached.day === day) {
    const point = await cached.point;
    if (point !== null || Math.abs(now.getTime() - cached.at) < EMPTY_RETRY_MS) return point;
  }
  const point = loadOrCompute(sql, day, options);
  const entry = { day, at: now.getTime(), point };
  cache.set(sql, entry);
  // a failed read is not kept: the next sale asks again
  point.catch(() => cache.get(sql) === entry && cache.delete(sql));
  return await point;
}

async function loadOrCompute(
  sql: Sql,
  day: number,
  options: OperatingPointOptions,
): Promise<StoredOperatingPoint | null> {
  const from = new Date(day);
  const [stored] = await sql<Row[]>`
    select effective_from, prior_threshold, review_rate, shared_review_rate, sales, days, max_review_rate
    from fraud_operating_points where effective_from = ${from}`;
  if (stored) return toPoint(stored);
  const windowStart = new Date(day - options.windowDays * DAY_MS);
  // A histogram (the scores have one decimal: at most 1,001 rows), whatever the window's size.
  const rows = await sql<{ score: number; n: number; first: Date }[]>`
    select round(fraud_prior_score::numeric, 1)::float8 as score, count(*)::int as n, min(created_at) as first
    from transactions
    where fraud_prior_score is not null and created_at >= ${windowStart} and created_at < ${from}
    group by 1`;
  const firstDay = rows.reduce((min, r) => Math.min(min, dayStartMs(r.first.getTime())), day);
  const point = operatingPointOfCounts(
    rows.map((r) => ({ score: Number(r.score), n: r.n })),
    windowDaysOf(day, firstDay),
    options,
  );
  if (!point) return null;
  // Written once per day; a concurrent instance that stored it first wins, and both read the same window.
  const [row] = await sql<Row[]>`
    insert into fraud_operating_points (effective_from, prior_threshold, review_rate, shared_review_rate, sales,
      days, max_review_rate)
    values (${from}, ${point.priorThreshold}, ${point.reviewRate}, ${point.sharedReviewRate}, ${point.sales},
      ${point.days}, ${options.maxReviewRate})
    on conflict (effective_from) do update set effective_from = excluded.effective_from
    returning effective_from, prior_threshold, review_rate, shared_review_rate, sales, days, max_review_rate`;
  return toPoint(row);
}

/** Forgets the cached point (tests that store sales for a day already looked at). */
export function forgetOperatingPoint(sql: Sql): void {
  cache.delete(sql);
}
