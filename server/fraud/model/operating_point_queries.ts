/**
 * The cold-start operating point in PostgreSQL (migration 0241): each sale scored by the shipped prior keeps
 * the prior's own score (`transactions.fraud_prior_score`); the point in force on a UTC day is computed once,
 * from those scores of the `windowDays` before that day (never from the day itself or later), and stored in
 * `fraud_operating_points` (one row per day). The sale request reads it through a per-instance cache keyed
 * by the day, so it costs one query per instance and day, plus a one-row look every minute (while a day has
 * too few scored sales, one histogram every 10 minutes); the Fraud page reads it fresh.
 *
 * The ceiling on the review share is the shop's setting (`fraud_settings`, migration 0242, session 7), or,
 * while the shop follows its labels (migration 0244, session 11; the default), the labels' proposal of the day
 * (`label_ceiling.ts`: the share of the 90 days' sales confirmed fraud before the day) once there is one. A
 * stored point records the ceiling it was computed with and whether it followed the labels; read under a
 * different setting, the day's point is computed again from the same window and replaces the stored one
 * (earlier days keep theirs: they were in force then). `fraud.settings_changed` drops every instance's
 * cached point, and the minute's look bounds how long an instance that missed the event keeps the old one.
 */
import type { Sql } from "../../db/mod.ts";
import type { EventBus } from "../../events/bus.ts";
import {
  COLD_START_OPERATING,
  DAY_MS,
  dayStartMs,
  type OperatingPoint,
  operatingPointOfCounts,
  type OperatingPointOptions,
  sameCeiling,
  windowDaysOf,
} from "./operating_point.ts";
import type { FeatureName } from "./feature_names.ts";
import { readLabelProposal } from "./label_ceiling_queries.ts";

/** A day without enough scored sales is looked at again after this long (sales may still be imported). */
const EMPTY_RETRY_MS = 10 * 60_000;
/** A cached point is checked against the stored day and setting after this long (should an event be lost). */
const RECHECK_MS = 60_000;

/** An operating point with the day it is in force from. */
export interface StoredOperatingPoint extends OperatingPoint {
  effectiveFrom: Date;
  maxReviewRate: number;
  /** computed following the shop's labels (its ceiling the labels' proposal of the day, if there was one) */
  fromLabels: boolean;
}

interface Row {
  effective_from: Date;
  prior_threshold: number;
  review_rate: number;
  shared_review_rate: number;
  sales: number;
  days: number;
  max_review_rate: number;
  muted_links: string[];
  link_shares: number[] | null;
  from_labels: boolean;
}

const toPoint = (row: Row): StoredOperatingPoint => ({
  effectiveFrom: row.effective_from,
  priorThreshold: Number(row.prior_threshold),
  reviewRate: Number(row.review_rate),
  sharedReviewRate: Number(row.shared_review_rate),
  sales: row.sales,
  days: row.days,
  maxReviewRate: Number(row.max_review_rate),
  mutedLinks: row.muted_links as FeatureName[],
  linkShares: (row.link_shares ?? []).map(Number),
  fromLabels: row.from_labels,
});

// the pending or settled read per pool: the sales arriving together at a new day share one computation
const cache = new WeakMap<object, { day: number; at: number; point: Promise<StoredOperatingPoint | null> }>();

/**
 * The operating point in force at `now`: the stored one of now's UTC day when it was computed with the
 * shop's ceiling, else computed from the prior scores of the window before that day and stored; null when
 * the window holds too few prior-scored sales (then the shared threshold, 50, stays). `options` sets the
 * window and the minimum; the ceiling is always the shop's setting.
 */
export async function operatingPointFor(
  sql: Sql,
  now: Date,
  options: Omit<OperatingPointOptions, "maxReviewRate"> = COLD_START_OPERATING,
  read: { fresh?: boolean } = {},
): Promise<StoredOperatingPoint | null> {
  const day = dayStartMs(now.getTime());
  const cached = cache.get(sql);
  if (!read.fresh && cached && cached.day === day) {
    const point = await cached.point;
    const age = Math.abs(now.getTime() - cached.at);
    if (age < (point === null ? EMPTY_RETRY_MS : RECHECK_MS)) return point;
  }
  const point = loadOrCompute(sql, day, options);
  const entry = { day, at: now.getTime(), point };
  cache.set(sql, entry);
  // a failed read is not kept: the next sale asks again
  point.catch(() => cache.get(sql) === entry && cache.delete(sql));
  return await point;
}

/**
 * The review ceiling in force on `day` (a UTC day's start): the labels' proposal of the day while the shop
 * follows its labels and there is one, else the shop's own setting.
 */
export async function reviewCeilingOn(
  sql: Sql,
  day: number,
  setting: { rate: number; followLabels: boolean },
): Promise<number> {
  if (!setting.followLabels) return setting.rate;
  return (await readLabelProposal(sql, day))?.ceiling ?? setting.rate;
}

async function loadOrCompute(
  sql: Sql,
  day: number,
  window: Omit<OperatingPointOptions, "maxReviewRate">,
): Promise<StoredOperatingPoint | null> {
  const from = new Date(day);
  // the settings and the day's stored point in one round trip
  const [found] = await sql<[Partial<Row> & { setting: number | null; follow: boolean | null }]>`
    select s.cold_start_max_review_rate as setting, s.follow_labels as follow, p.effective_from,
      p.prior_threshold, p.review_rate, p.shared_review_rate, p.sales, p.days, p.max_review_rate, p.muted_links,
      p.link_shares, p.from_labels
    from (select 1) one
    left join fraud_settings s on true
    left join fraud_operating_points p on p.effective_from = ${from}`;
  let maxReviewRate = found.setting === null ? COLD_START_OPERATING.maxReviewRate : Number(found.setting);
  const followLabels = found.follow ?? true;
  // A point stored before link rules were counted (migration 0243) has no shares: computed again. Following
  // the labels, the day's point stands as computed (its labels are those set before the day, fixed for the
  // day; an import that brings older ones deletes the day's point); else it stands under the same ceiling.
  const stored = found.effective_from && found.link_shares;
  if (stored && followLabels && found.from_labels) return toPoint(found as Row);
  if (
    stored && !followLabels && !found.from_labels && sameCeiling(Number(found.max_review_rate), maxReviewRate)
  ) {
    return toPoint(found as Row);
  }
  maxReviewRate = await reviewCeilingOn(sql, day, { rate: maxReviewRate, followLabels });
  const options = { ...window, maxReviewRate };
  const windowStart = new Date(day - options.windowDays * DAY_MS);
  // A histogram by score and fired link rules (the scores have one decimal; nearly every sale fires none, so
  // about 1,001 rows, a few more per rule that fires), whatever the window's size. A sale scored before the
  // flags were kept (migration 0243) counts as firing none.
  const rows = await sql<{ score: number; flags: number; n: number; first: Date }[]>`
    select round(fraud_prior_score::numeric, 1)::float8 as score, coalesce(fraud_link_flags, 0)::int as flags,
      count(*)::int as n, min(created_at) as first
    from transactions
    where fraud_prior_score is not null and created_at >= ${windowStart} and created_at < ${from}
    group by 1, 2`;
  const firstDay = rows.reduce((min, r) => Math.min(min, dayStartMs(r.first.getTime())), day);
  const point = operatingPointOfCounts(
    rows.map((r) => ({ score: Number(r.score), flags: r.flags, n: r.n })),
    windowDaysOf(day, firstDay),
    options,
  );
  if (!point) return null;
  // The day's row: concurrent instances read the same window and write the same values; a changed ceiling
  // replaces the point computed with the old one.
  const [row] = await sql<Row[]>`
    insert into fraud_operating_points (effective_from, prior_threshold, review_rate, shared_review_rate, sales,
      days, max_review_rate, muted_links, link_shares, from_labels)
    values (${from}, ${point.priorThreshold}, ${point.reviewRate}, ${point.sharedReviewRate}, ${point.sales},
      ${point.days}, ${options.maxReviewRate}, ${sql.array(point.mutedLinks ?? [])}::text[], ${
    sql.array(point.linkShares ?? [])
  }::real[], ${followLabels})
    on conflict (effective_from) do update set prior_threshold = excluded.prior_threshold,
      review_rate = excluded.review_rate, shared_review_rate = excluded.shared_review_rate,
      sales = excluded.sales, days = excluded.days, max_review_rate = excluded.max_review_rate,
      muted_links = excluded.muted_links, link_shares = excluded.link_shares, from_labels = excluded.from_labels,
      computed_at = now()
    returning effective_from, prior_threshold, review_rate, shared_review_rate, sales, days, max_review_rate,
      muted_links, link_shares, from_labels`;
  return toPoint(row);
}

// the pools whose instance already drops its point on `fraud.settings_changed`
const following = new WeakSet<object>();

/**
 * Makes this instance (its pool and bus) drop its cached point when any instance announces a changed
 * ceiling, so the next sale reads the point of the new one. Called on the sale path; once per pool.
 */
export function followOperatingSettings(deps: { sql: Sql; bus: EventBus }): void {
  if (following.has(deps.sql)) return;
  following.add(deps.sql);
  deps.bus.subscribe((event) => {
    if (event.type === "fraud.settings_changed") forgetOperatingPoint(deps.sql);
  });
}

/** Forgets this instance's cached point (a changed ceiling; tests that store sales for a day already read). */
export function forgetOperatingPoint(sql: Sql): void {
  cache.delete(sql);
}
