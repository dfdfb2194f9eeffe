import { z } from "zod";
import type { FraudRules } from "./rules.ts";
import { scoreTransaction } from "./score.ts";
import { highResaleUnits } from "./checks/high_resale.ts";
import { quantityStatsFromHistogram } from "./robust_stats.ts";
import type {
  FraudDecision,
  FraudHistory,
  FraudItem,
  FraudReason,
  FraudScore,
  FraudTransaction,
  HistoryTransaction,
  QuantityStats,
  ReasonCode,
} from "./types.ts";
import { REASON_CODES } from "./types.ts";

/** A scored transaction whose truth is known. */
export interface ScoredOutcome {
  score: number;
  isFraud: boolean;
  reasons: readonly Pick<FraudReason, "code">[];
}

/** Precision, recall and F1 when every score at or above `threshold` is flagged. */
export interface ThresholdMetrics {
  threshold: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** 1 when nothing is flagged: no flag was wrong. */
  precision: number;
  /** 0 when there is no fraud at all. */
  recall: number;
  f1: number;
}

/** How often one rule fired on fraud and on legitimate transactions. */
export interface RuleStatistics {
  code: ReasonCode;
  firedOnFraud: number;
  firedOnLegit: number;
  /** Share of fraudulent transactions on which the rule fired. */
  fraudHitRate: number;
  /** Share of legitimate transactions on which the rule fired. */
  legitHitRate: number;
  /** Share of the rule's firings that were fraud (1 when it never fired). */
  precision: number;
}

/** Everything the bench and the admin backtest show about a set of labeled outcomes. */
export interface Evaluation {
  transactions: number;
  fraud: number;
  atReview: ThresholdMetrics;
  atBlock: ThresholdMetrics;
  curve: ThresholdMetrics[];
  rules: RuleStatistics[];
}

/** Precision, recall and F1 of flagging every outcome scored at or above the threshold. */
export function metricsAt(outcomes: readonly ScoredOutcome[], threshold: number): ThresholdMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const outcome of outcomes) {
    const flagged = outcome.score >= threshold;
    if (outcome.isFraud) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : 2 * precision * recall / (precision + recall);
  return {
    threshold,
    flagged: tp + fp,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision,
    recall,
    f1,
  };
}

/** Precision-recall curve: the metrics at each threshold (default 5, 10, ... 95), ascending. */
export function precisionRecallCurve(
  outcomes: readonly ScoredOutcome[],
  thresholds: readonly number[] = Array.from({ length: 19 }, (_, i) => 5 * (i + 1)),
): ThresholdMetrics[] {
  return [...thresholds].sort((a, b) => a - b).map((threshold) => metricsAt(outcomes, threshold));
}

/** Per-rule firing counts on fraud and legitimate outcomes, for every reason code. */
export function ruleStatistics(outcomes: readonly ScoredOutcome[]): RuleStatistics[] {
  const fraudTotal = outcomes.filter((o) => o.isFraud).length;
  const legitTotal = outcomes.length - fraudTotal;
  return REASON_CODES.map((code) => {
    let firedOnFraud = 0, firedOnLegit = 0;
    for (const outcome of outcomes) {
      if (!outcome.reasons.some((reason) => reason.code === code)) continue;
      outcome.isFraud ? firedOnFraud++ : firedOnLegit++;
    }
    const fired = firedOnFraud + firedOnLegit;
    return {
      code,
      firedOnFraud,
      firedOnLegit,
      fraudHitRate: fraudTotal === 0 ? 0 : firedOnFraud / fraudTotal,
      legitHitRate: legitTotal === 0 ? 0 : firedOnLegit / legitTotal,
      precision: fired === 0 ? 1 : firedOnFraud / fired,
    };
  });
}

/** Metrics at the rules' review and block thresholds, the curve, and per-rule statistics. */
export function evaluate(outcomes: readonly ScoredOutcome[], rules: FraudRules): Evaluation {
  const curve = precisionRecallCurve(outcomes);
  return {
    transactions: outcomes.length,
    fraud: outcomes.filter((o) => o.isFraud).length,
    atReview: metricsAt(outcomes, rules.thresholds.review),
    atBlock: metricsAt(outcomes, rules.thresholds.block),
    curve,
    rules: ruleStatistics(outcomes),
  };
}

const isoInstant = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not an ISO 8601 timestamp` });
    return z.NEVER;
  }
  return date;
});

const optionalText = z.union([z.string(), z.number(), z.null()]).optional().transform((value) => {
  const text = value === undefined || value === null ? "" : String(value).trim();
  return text === "" ? undefined : text;
}).optional();

/** One row of a labeled stream, as written in CSV (strings) or produced by the generator. */
export const labeledRowSchema = z.object({
  transaction_id: z.coerce.string().min(1),
  timestamp: isoInstant,
  customer_id: z.coerce.string().min(1),
  customer_created_at: isoInstant,
  product_id: z.coerce.string().min(1),
  category: z.string().min(1),
  unit_price_cents: z.coerce.number().int().min(0),
  quantity: z.coerce.number().int().min(1),
  payment_method: z.string().min(1),
  status: z.enum(["completed", "declined"]),
  is_fraud: z.union([z.literal(0), z.literal(1), z.literal("0"), z.literal("1")]).transform((v) =>
    Number(v) === 1
  ),
  // Identity columns are optional and kept as written: an odd value (an IP stored as a number, say) is
  // still a key that links the rows sharing it, so it must never reject a row.
  device_id: optionalText,
  ip_address: optionalText,
  email: optionalText,
  card_bin: optionalText,
  card_last4: optionalText,
  billing_country: optionalText,
  shipping_country: optionalText,
  user_agent: optionalText,
});

/** A labeled stream row after validation. */
export type LabeledRow = z.output<typeof labeledRowSchema>;

/** Validates one raw row; throws a ZodError naming the bad column. */
export function parseLabeledRow(raw: unknown): LabeledRow {
  return labeledRowSchema.parse(raw);
}

/** One replayed transaction: its truth and what the scorer said. */
export interface ReplayOutcome extends ScoredOutcome {
  transactionId: string;
  customerId: string;
  timestamp: Date;
  status: string;
  totalCents: number;
  decision: FraudDecision;
  reasons: FraudReason[];
}

/** The scorer a replay calls; the bench passes a timed wrapper around `scoreTransaction`. */
export type Scorer = (
  tx: FraudTransaction,
  history: FraudHistory,
  rules: FraudRules,
  now: Date,
) => FraudScore;

/** Options of `replayStream`. */
export interface ReplayOptions {
  blockList?: ReadonlySet<string>;
  allowList?: ReadonlySet<string>;
  scorer?: Scorer;
}

/** One transaction as a replay consumes it: its lines, its recorded outcome and (when known) its truth. */
export interface ReplayInput {
  transactionId: string;
  customerId: string;
  customerCreatedAt: Date;
  /** Also the moment of scoring. */
  timestamp: Date;
  paymentMethod: string;
  /** As recorded (`completed`, `declined`, ...); the scorer reads it only from history. */
  status: string;
  items: FraudItem[];
  /** The label; false when unknown. */
  isFraud: boolean;
}

/** Scores transactions one at a time, in time order, keeping the history the scorer needs in memory. */
export interface Replayer {
  /** Scores `input` against everything replayed before it, then adds it to the history. */
  replay(input: ReplayInput): ReplayOutcome;
}

const DAY_MS = 86_400_000;

/**
 * An incremental replay: feed it transactions in timestamp order and it scores each one with the production
 * scorer, "now" being the transaction's own timestamp. Per-customer history (pruned to `rules.historyDays`)
 * and per-product quantity histograms of completed lines only ever contain earlier transactions, each with
 * its recorded status; labels are never shown to the scorer. Memory grows with customers and products, not
 * with the length of the stream, so a database's whole history can be replayed batch by batch.
 */
export function createReplayer(rules: FraudRules, options: ReplayOptions = {}): Replayer {
  const scorer = options.scorer ?? scoreTransaction;
  const customerHistory = new Map<string, HistoryTransaction[]>();
  const productQuantities = new Map<string, Map<number, number>>();
  const keepMs = rules.historyDays * DAY_MS;

  function replay(input: ReplayInput): ReplayOutcome {
    const now = input.timestamp;
    const items = input.items;
    const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
    const tx: FraudTransaction = {
      customerId: input.customerId,
      customerCreatedAt: input.customerCreatedAt,
      createdAt: now,
      items,
      totalCents,
      paymentMethod: input.paymentMethod,
    };

    let past = customerHistory.get(input.customerId);
    if (!past) customerHistory.set(input.customerId, past = []);
    // History is appended in time order, so the oldest entries are at the front.
    let stale = 0;
    while (stale < past.length && past[stale].createdAt.getTime() < now.getTime() - keepMs) stale++;
    if (stale > 0) past.splice(0, stale);

    const productQuantityStats: Record<string, QuantityStats> = {};
    for (const item of items) {
      const histogram = productQuantities.get(String(item.productId));
      if (histogram) productQuantityStats[String(item.productId)] = quantityStatsFromHistogram(histogram);
    }
    const history: FraudHistory = {
      transactions: past,
      productQuantityStats,
      blockListed: options.blockList?.has(input.customerId) ?? false,
      allowListed: options.allowList?.has(input.customerId) ?? false,
    };
    const result = scorer(tx, history, rules, now);

    past.push({
      createdAt: now,
      totalCents,
      paymentMethod: input.paymentMethod,
      status: input.status,
      maxItemQuantity: items.length === 0 ? 0 : Math.max(...items.map((item) => item.quantity)),
      highResaleUnits: highResaleUnits(items, rules),
      score: result.score,
    });
    if (input.status === "completed") {
      for (const item of items) {
        const key = String(item.productId);
        let histogram = productQuantities.get(key);
        if (!histogram) productQuantities.set(key, histogram = new Map());
        histogram.set(item.quantity, (histogram.get(item.quantity) ?? 0) + 1);
      }
    }
    return {
      transactionId: input.transactionId,
      customerId: input.customerId,
      timestamp: now,
      status: input.status,
      totalCents,
      isFraud: input.isFraud,
      score: result.score,
      decision: result.decision,
      reasons: result.reasons,
    };
  }

  return { replay };
}

/** A transaction of a labeled stream: its replay input and the first of its rows (identity columns). */
export interface StreamTransaction {
  input: ReplayInput;
  first: LabeledRow;
}

/**
 * Groups a labeled stream's rows into transactions (rows sharing `transaction_id` are the lines of one
 * order), sorted by timestamp with ties in file order.
 */
export function streamTransactions(rows: readonly LabeledRow[]): StreamTransaction[] {
  const byId = new Map<string, { rows: LabeledRow[]; order: number }>();
  for (const row of rows) {
    let entry = byId.get(row.transaction_id);
    if (!entry) {
      entry = { rows: [], order: byId.size };
      byId.set(row.transaction_id, entry);
    }
    entry.rows.push(row);
  }
  const transactions = [...byId.values()].sort((a, b) =>
    a.rows[0].timestamp.getTime() - b.rows[0].timestamp.getTime() || a.order - b.order
  );
  return transactions.map(({ rows: lines }) => {
    const first = lines[0];
    return {
      first,
      input: {
        transactionId: first.transaction_id,
        customerId: first.customer_id,
        customerCreatedAt: first.customer_created_at,
        timestamp: first.timestamp,
        paymentMethod: first.payment_method,
        status: first.status,
        items: lines.map((line) => ({
          productId: line.product_id,
          category: line.category,
          unitPriceCents: line.unit_price_cents,
          quantity: line.quantity,
        })),
        isFraud: lines.some((line) => line.is_fraud),
      },
    };
  });
}

/**
 * Replays a labeled stream through the production scorer, in timestamp order, using each
 * transaction's own timestamp as "now". See `streamTransactions` for the grouping and `createReplayer` for
 * what the scorer sees.
 */
export function replayStream(
  rows: readonly LabeledRow[],
  rules: FraudRules,
  options: ReplayOptions = {},
): ReplayOutcome[] {
  const replayer = createReplayer(rules, options);
  return streamTransactions(rows).map(({ input }) => replayer.replay(input));
}
