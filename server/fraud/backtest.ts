import type { Sql } from "../db/mod.ts";
import { createReplayer, metricsAt, type ReplayOutcome, type ScoredOutcome } from "./evaluate.ts";
import { readHistoryInOrder, type StoredReplayInput } from "./history_queries.ts";
import { loadCustomerLists } from "./lists_queries.ts";
import type { FraudRules } from "./rules.ts";
import { combineScores } from "./model/combine.ts";
import {
  calibratedPriorScore,
  dayStartMs,
  type OperatingPoint,
  operatingPointTracker,
  withCeiling,
} from "./model/operating_point.ts";
import { readFraudSettings } from "./model/settings_queries.ts";
import { reviewCeilingOn } from "./model/operating_point_queries.ts";

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
  /**
   * The same with the shipped prior, as a sale is scored at cold start: each rule set with the prior's stored
   * score read at the shop's operating point of the sale's day, and the link rules the sale fired. Over the
   * labeled transactions the prior scored (`labeled` of them); null when it scored none of them.
   */
  withPrior: { labeled: number; fraud: number; active: BacktestFigures; candidate: BacktestFigures } | null;
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
  let withPrior: ReturnType<typeof withPriorTally> | undefined;

  if (range.first && range.last) {
    // the screen as it stands today: today's review ceiling over the whole history
    const settings = await readFraudSettings(sql);
    withPrior = withPriorTally(
      rules,
      await reviewCeilingOn(sql, dayStartMs(Date.now()), {
        rate: settings.coldStartMaxReviewRate,
        followLabels: settings.followLabels,
      }),
    );
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
        withPrior.add(input, before, after, input.timestamp >= range.first);
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
    withPrior: withPrior?.figures() ?? null,
  };
}

/**
 * Each rule set's figures with the prior (`BacktestResult.withPrior`), a sale at a time in time order (a
 * shop's whole history is never held): the operating point of each day from the prior's scores of the days
 * before it, at the shop's review ceiling in force today (`operatingPointTracker`), then the score the sale would get in the
 * request (`combineScores`). A device of confirmed fraud is not replayed.
 */
function withPriorTally(rules: { active: FraudRules; candidate: FraudRules }, ceiling: number) {
  const tracker = operatingPointTracker(withCeiling(ceiling));
  const side = (ruleSet: FraudRules) => ({ ruleSet, labeled: [] as ScoredOutcome[], reviews: 0, blocks: 0 });
  const active = side(rules.active), candidate = side(rules.candidate);
  const tally = (
    into: ReturnType<typeof side>,
    outcome: ReplayOutcome,
    sale: { priorScore: number; linkFlags: number | null; label: string | null },
    point: OperatingPoint | null,
  ) => {
    const { thresholds } = into.ruleSet;
    const prior = calibratedPriorScore(sale.priorScore, point, thresholds.review);
    const links = sale.linkFlags === null ? undefined : { flags: sale.linkFlags };
    const score = combineScores(outcome, prior, "prior", thresholds, links, point?.mutedLinks ?? []);
    if (score >= thresholds.block) into.blocks++;
    else if (score >= thresholds.review) into.reviews++;
    if (sale.label !== null) into.labeled.push({ score, isFraud: outcome.isFraud, reasons: [] });
  };
  return {
    /** a replayed sale, with each rule set's outcome; `counts`: it is in the labeled period */
    add(input: StoredReplayInput, before: ReplayOutcome, after: ReplayOutcome, counts: boolean) {
      const { priorScore, linkFlags } = input;
      if (priorScore === null) return;
      const atMs = input.timestamp.getTime();
      const point = tracker.pointAt(atMs);
      tracker.add({ atMs, priorScore, ...(linkFlags === null ? {} : { linkFlags }) });
      if (!counts) return;
      const sale = { priorScore, linkFlags, label: input.label };
      tally(active, before, sale, point);
      tally(candidate, after, sale, point);
    },
    /** null when the prior scored none of the labeled sales */
    figures(): BacktestResult["withPrior"] {
      if (active.labeled.length === 0) return null;
      return {
        labeled: active.labeled.length,
        fraud: active.labeled.filter((o) => o.isFraud).length,
        active: figures(active.labeled, active, rules.active),
        candidate: figures(candidate.labeled, candidate, rules.candidate),
      };
    },
  };
}
