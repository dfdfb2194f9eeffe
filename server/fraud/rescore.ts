import type { Sql } from "../db/mod.ts";
import { createReplayer } from "./evaluate.ts";
import { readHistoryInOrder } from "./history_queries.ts";
import { loadCustomerLists } from "./lists_queries.ts";
import type { Logger } from "../log.ts";
import type { FraudRules } from "./rules.ts";
import { getActiveRuleVersion } from "./rules_queries.ts";
import { scoreHistoryWithPrior } from "./model/prior_history.ts";

/** What rescoring did. */
export interface RescoreResult {
  /** transactions replayed */
  transactions: number;
  /** rows whose stored score, decision or reasons changed */
  updated: number;
  review: number;
  block: number;
}

/**
 * Replays every stored transaction in time order through the production scorer (see `createReplayer`)
 * and stores each one's score, decision and reasons, batch by batch with one UPDATE per batch. Statuses
 * are left alone: imported history happened, the score says what the rules make of it now. The lists in
 * force apply to the whole history. Scores are stored floored, as `transactions.create` stores them.
 * @param sql the pool
 * @param rules the rules to score with (usually the active version)
 * @param options batch size (transactions per read and per update)
 */
export async function rescoreHistory(
  sql: Sql,
  rules: FraudRules,
  options: { batchSize?: number } = {},
): Promise<RescoreResult> {
  const lists = await loadCustomerLists(sql);
  const replayer = createReplayer(rules, { blockList: lists.block, allowList: lists.allow });
  const result: RescoreResult = { transactions: 0, updated: 0, review: 0, block: 0 };
  for await (const batch of readHistoryInOrder(sql, { batchSize: options.batchSize })) {
    const ids: number[] = [];
    const scores: number[] = [];
    const decisions: string[] = [];
    const reasons: string[] = [];
    for (const input of batch) {
      const outcome = replayer.replay(input);
      ids.push(input.id);
      scores.push(Math.floor(outcome.score));
      decisions.push(outcome.decision);
      reasons.push(JSON.stringify(outcome.reasons));
      if (outcome.decision === "review") result.review++;
      else if (outcome.decision === "block") result.block++;
    }
    result.transactions += batch.length;
    const updated = await sql`
      update transactions t
      set fraud_score = v.score, fraud_decision = v.decision, fraud_reasons = v.reasons::jsonb
      from unnest(${sql.array(ids)}::bigint[], ${sql.array(scores)}::smallint[], ${
      sql.array(decisions)
    }::text[], ${sql.array(reasons)}::text[]) as v(id, score, decision, reasons)
      where t.id = v.id
        and (t.fraud_score, t.fraud_decision, t.fraud_reasons)
          is distinct from (v.score, v.decision, v.reasons::jsonb)`;
    result.updated += updated.count;
  }
  return result;
}

/**
 * Labels the sample shop's history the way a team of analysts would have after a while, so the review
 * queue, the rule statistics and the backtest have something to work with. The sample's fraud-like bursts
 * (a customer with at least 5 orders within an hour of signing up; see `data/generate.ts`) are the fraud:
 * three in four flagged burst orders are labeled fraud and three in four other flagged orders older than a
 * week legit (the rest, and the last week's, stay in the queue); burst orders the rules let through are labeled fraud (chargebacks arrive later);
 * one in fifty unflagged ordinary orders is labeled legit (spot checks). Existing labels are kept.
 * @returns how many transactions were labeled fraud and legit
 */
export async function labelSampleHistory(sql: Sql): Promise<{ fraud: number; legit: number }> {
  const rows = await sql<{ fraud_label: "fraud" | "legit"; count: number }[]>`
    with bursts as (
      select t.customer_id
      from transactions t join customers c on c.id = t.customer_id
      where t.created_at >= c.created_at and t.created_at < c.created_at + interval '1 hour'
      group by t.customer_id
      having count(*) >= 5
    ),
    verdicts as (
      select t.id,
             case
               when t.customer_id in (select customer_id from bursts)
                    and t.created_at < (select c.created_at from customers c where c.id = t.customer_id)
                      + interval '1 day'
                 then case when t.fraud_decision = 'allow' or t.id % 4 <> 0 then 'fraud' end
               when t.fraud_decision <> 'allow' then
                 case when t.id % 4 <> 0 and t.created_at < now() - interval '7 days' then 'legit' end
               when t.id % 50 = 0 then 'legit'
             end as verdict
      from transactions t
      where t.fraud_label is null and t.customer_id is not null
    ),
    labeled as (
      update transactions t
      set fraud_label = v.verdict, labeled_by = 'sample-data', labeled_at = now()
      from verdicts v
      where t.id = v.id and v.verdict is not null
      returning t.fraud_label
    )
    select fraud_label, count(*)::int as count from labeled group by fraud_label`;
  const counts = { fraud: 0, legit: 0 };
  for (const row of rows) counts[row.fraud_label] = row.count;
  return counts;
}

/**
 * After the sample shop is imported on first start: scores its history with the rules in force (the
 * shipped defaults in `STORE_TZ`) and labels it as analysts would have (`labelSampleHistory`), so the
 * review queue, the rule statistics and the backtest have data from the first page view.
 */
export async function scoreImportedSample(
  services: { db: { sql: Sql }; config: { STORE_TZ: string }; log: Logger },
): Promise<RescoreResult & { labeledFraud: number; labeledLegit: number; priorScored: number }> {
  const active = await getActiveRuleVersion(services.db.sql, { timeZone: services.config.STORE_TZ });
  const rescored = await rescoreHistory(services.db.sql, active.rules);
  const labels = await labelSampleHistory(services.db.sql);
  // and the prior's own scores, so the sample shop has its cold-start operating point from the first view
  const prior = await scoreHistoryWithPrior(services.db.sql, active.rules);
  const result = {
    ...rescored,
    labeledFraud: labels.fraud,
    labeledLegit: labels.legit,
    priorScored: prior.scored,
  };
  services.log.info("sample history scored for fraud", { ...result, rulesVersion: active.version });
  return result;
}
