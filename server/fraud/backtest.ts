import type { Sql } from "../db/mod.ts";
import { createReplayer, metricsAt, type ReplayOutcome, type ScoredOutcome } from "./evaluate.ts";
import { readHistoryInOrder } from "./history_queries.ts";
import { loadCustomerLists } from "./lists_queries.ts";
import type { FraudRules } from "./rules.ts";

/** How one set of rules does on the labeled history. */
export interface BacktestFigures {
  reviewThreshold: number;
  blockThreshold: number;
  /** labeled transactions flagged (score at or above the review threshold) */
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** share of flagged labeled transactions that are fraud (1 when none is flagged) */
  precision: number;
  /** share of labeled fraud that is flagged (0 when no fraud is labeled) */
  recall: number;
  f1: number;
  /** every transaction of the labeled period the rules would send to review */
  reviews: number;
  /** every transaction of the labeled period the rules would block */
  blocks: number;
}

/** A labeled transaction whose flag the candidate changes. */
export interface BacktestChange {
  transactionId: number;
  label: "fraud" | "legit";
  before: number;
  after: number;
}

/** The active rules against a candidate, on the same replay of the labeled history. */
export interface BacktestResult {
  /** labeled transactions scored */
  labeled: number;
  fraud: number;
  /** every transaction replayed (the labeled period plus the history before it that scoring reads) */
  replayed: number;
  /** the labeled period, null when nothing is labeled */
  from: Date | null;
  to: Date | null;
  active: BacktestFigures;
  candidate: BacktestFigures;
  /** labeled transactions flagged by one rule set and not the other, largest score change first (at most 50) */
  changes: BacktestChange[];
}

function figures(
  labeled: readonly ScoredOutcome[],
  all: { reviews: number; blocks: number },
  rules: FraudRules,
): BacktestFigures {
  const m = metricsAt(labeled, rules.thresholds.review);
  return {
    reviewThreshold: rules.thresholds.review,
    blockThreshold: rules.thresholds.block,
    flagged: m.flagged,
    truePositives: m.truePositives,
    falsePositives: m.falsePositives,
    falseNegatives: m.falseNegatives,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    reviews: all.reviews,
    blocks: all.blocks,
  };
}

/**
 * Replays the stored history through the active rules and a candidate side by side (one pass over the
 * database, the same scoring code as `transactions.create`), from `historyDays` before the first labeled
 * transaction to the last one, and compares them on the labeled transactions (fraud_label set): precision,
 * recall and F1 at each rule set's review threshold, and how many transactions of the labeled period each
 * would send to review or block. Earlier transactions are replayed only so velocity and history rules see
 * what they saw in production.
 * @param sql the pool
 * @param rules the active rules and the candidate
 */
export async function backtestRules(
  sql: Sql,
  rules: { active: FraudRules; candidate: FraudRules },
): Promise<BacktestResult> {
  const [range] = await sql<[{ first: Date | null; last: Date | null }]>`
    select min(created_at) as first, max(created_at) as last from transactions where fraud_label is not null`;
  const lists = await loadCustomerLists(sql);
  const options = { blockList: lists.block, allowList: lists.allow };
  const active = createReplayer(rules.active, options);
  const candidate = createReplayer(rules.candidate, options);
  const labeledBefore: ScoredOutcome[] = [];
  const labeledAfter: ScoredOutcome[] = [];
  const changes: BacktestChange[] = [];
  const countsBefore = { reviews: 0, blocks: 0 };
  const countsAfter = { reviews: 0, blocks: 0 };
  let replayed = 0;

  if (range.first && range.last) {
    const warmUpDays = Math.max(rules.active.historyDays, rules.candidate.historyDays);
    const from = new Date(range.first.getTime() - warmUpDays * 86_400_000);
    const count = (outcome: ReplayOutcome, counts: { reviews: number; blocks: number }) => {
      if (outcome.decision === "review") counts.reviews++;
      else if (outcome.decision === "block") counts.blocks++;
    };
    for await (const batch of readHistoryInOrder(sql, { from, to: range.last })) {
      for (const input of batch) {
        replayed++;
        const before = active.replay(input);
        const after = candidate.replay(input);
        if (input.timestamp < range.first) continue;
        count(before, countsBefore);
        count(after, countsAfter);
        if (!input.label) continue;
        labeledBefore.push(before);
        labeledAfter.push(after);
        const flaggedBefore = before.score >= rules.active.thresholds.review;
        const flaggedAfter = after.score >= rules.candidate.thresholds.review;
        if (flaggedBefore !== flaggedAfter) {
          changes.push({
            transactionId: input.id,
            label: input.label,
            before: before.score,
            after: after.score,
          });
        }
      }
    }
  }
  changes.sort((a, b) =>
    Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.transactionId - b.transactionId
  );
  return {
    labeled: labeledBefore.length,
    fraud: labeledBefore.filter((o) => o.isFraud).length,
    replayed,
    from: range.first,
    to: range.last,
    active: figures(labeledBefore, countsBefore, rules.active),
    candidate: figures(labeledAfter, countsAfter, rules.candidate),
    changes: changes.slice(0, 50),
  };
}
