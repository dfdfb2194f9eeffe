/**
 * Prior scores for history that arrived without them (an import, the sample shop at first start), so a shop
 * that starts from its own records gets its cold-start operating point at once, not after 200 of its new
 * sales on earlier days (docs/fraud.md, "Session 7").
 *
 * The whole stored history is replayed in time order as the shop's training does (`loadShopHistory`,
 * `replayWithFeatures`): each sale's features come only from the sales before it, and no label enters them.
 * The shipped prior scores those features, as the sale path would have (`transactions.fraud_prior_score`,
 * the prior's own score before calibration), and the link rules that fired on them are kept beside it
 * (`fraud_link_flags`, session 11). Only sales of the operating point's window (the days before today and
 * today) that carry no prior score or no flags get them: a value written on the sale path is never replaced.
 * Nothing is written while the shop's own model scores (the point is the prior's only).
 */
import type { Sql } from "../../db/mod.ts";
import type { Logger } from "../../log.ts";
import type { FraudRules } from "../rules.ts";
import { getActiveRuleVersion } from "../rules_queries.ts";
import { modelScore } from "./model.ts";
import { linkFlagsOf } from "./combine.ts";
import { activeModel } from "./model_queries.ts";
import { COLD_START_OPERATING, DAY_MS, dayStartMs } from "./operating_point.ts";
import { forgetOperatingPoint } from "./operating_point_queries.ts";
import { loadPriorModel } from "./prior.ts";
import { replayWithFeatures } from "./replay_features.ts";
import { loadShopHistory } from "./train_shop.ts";

/** What scoring the history did. */
export interface PriorHistoryResult {
  /** sales in the window that had no prior score, and how many got one */
  missing: number;
  scored: number;
  /** false when the shop's own model scores (nothing to do) */
  atColdStart: boolean;
}

/** Rows per UPDATE. */
const BATCH = 2_000;

/**
 * Gives every sale of the last `windowDays` days (and today) without a prior score the prior's score of its
 * time-ordered replay, then lets today's operating point be computed again from the fuller window (only
 * days before today count in it, so no sale influences its own day's threshold).
 */
export async function scoreHistoryWithPrior(
  sql: Sql,
  rules: FraudRules,
  options: { now?: Date; windowDays?: number } = {},
): Promise<PriorHistoryResult> {
  if (await activeModel(sql)) return { missing: 0, scored: 0, atColdStart: false };
  const now = options.now ?? new Date();
  const today = dayStartMs(now.getTime());
  const from = new Date(today - (options.windowDays ?? COLD_START_OPERATING.windowDays) * DAY_MS);
  const missing = new Set(
    (await sql<{ id: string }[]>`
      select id from transactions
      where (fraud_prior_score is null or fraud_link_flags is null)
        and created_at >= ${from} and created_at <= ${now}`).map((r) => Number(r.id)),
  );
  if (missing.size === 0) return { missing: 0, scored: 0, atColdStart: true };
  const [prior, { rows }] = await Promise.all([loadPriorModel(), loadShopHistory(sql)]);
  const ids: number[] = [];
  const scores: number[] = [];
  const flags: number[] = [];
  for (const sale of replayWithFeatures(rows, rules)) {
    const id = Number(sale.transactionId);
    if (!missing.has(id)) continue;
    ids.push(id);
    scores.push(modelScore(prior, sale.features));
    flags.push(linkFlagsOf(sale.features));
  }
  let scored = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const part = (values: number[]) => sql.array(values.slice(i, i + BATCH));
    const updated = await sql`
      update transactions t set fraud_prior_score = coalesce(t.fraud_prior_score, v.score),
        fraud_link_flags = coalesce(t.fraud_link_flags, v.flags)
      from unnest(${part(ids)}::bigint[], ${part(scores)}::real[], ${part(flags)}::smallint[])
        as v(id, score, flags)
      where t.id = v.id and (t.fraud_prior_score is null or t.fraud_link_flags is null)`;
    scored += updated.count;
  }
  if (scored > 0) {
    // Today's stored point (if any) was computed before these scores existed; the next read computes it
    // again. Other instances read it within a minute (or ten, while theirs was "too few sales").
    await sql`delete from fraud_operating_points where effective_from = ${new Date(today)}`;
    forgetOperatingPoint(sql);
  }
  return { missing: missing.size, scored, atColdStart: true };
}

/**
 * After an import: scores the imported history with the prior under the active rules (their time zone and
 * high-resale categories shape the features, as on the sale path). A failure is logged, never thrown: the
 * import itself has committed, and the shop keeps the shared threshold until its own sales give a point.
 */
export async function scoreImportedHistoryWithPrior(
  deps: { db: { sql: Sql }; config: { STORE_TZ: string }; log: Logger },
): Promise<PriorHistoryResult | null> {
  try {
    const active = await getActiveRuleVersion(deps.db.sql, { timeZone: deps.config.STORE_TZ });
    const result = await scoreHistoryWithPrior(deps.db.sql, active.rules);
    deps.log.info("imported history scored by the fraud prior", { ...result });
    return result;
  } catch (error) {
    deps.log.error("scoring imported history with the fraud prior failed", { error });
    return null;
  }
}
