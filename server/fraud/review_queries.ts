import type { Sql } from "../db/mod.ts";
import { decodeCursor, toPage } from "../db/keyset.ts";
import { readFraudReasons } from "./stored_reasons.ts";
import { REASON_CODES, type ReasonCode } from "./types.ts";
import type { RuleStatistics } from "./evaluate.ts";

/** One transaction waiting for an analyst: the riskiest unlabeled ones come first. */
export interface QueueItem {
  id: number;
  orderRef: string;
  status: string;
  customerId: number | null;
  customerName: string | null;
  /** the list the customer is on now, if any */
  customerList: "allow" | "block" | null;
  paymentMethod: string;
  totalCents: number;
  itemCount: number;
  fraudScore: number;
  fraudDecision: "allow" | "review" | "block";
  fraudReasons: { code: string; message: string; contribution: number }[];
  createdAt: Date;
}

/**
 * The review queue: transactions sent to review or blocked that no analyst has labeled, highest score
 * first (keyset on `transactions_suspicious_score_idx`), each with its reasons.
 */
export async function listReviewQueue(
  sql: Sql,
  input: { decision?: "review" | "block"; limit: number; cursor?: string },
): Promise<{ items: QueueItem[]; nextCursor: string | null; total: number }> {
  const after = decodeCursor(input.cursor, "queue");
  const rows = await sql<
    {
      id: number;
      order_ref: string;
      status: string;
      customer_id: number | null;
      customer_name: string | null;
      customer_list: "allow" | "block" | null;
      payment_method: string;
      total_cents: number;
      item_count: number;
      fraud_score: number;
      fraud_decision: QueueItem["fraudDecision"];
      fraud_reasons: unknown;
      created_at: Date;
    }[]
  >`
    select t.id, t.order_ref, t.status, t.customer_id, c.name as customer_name, l.list as customer_list,
           t.payment_method, t.total_cents, t.item_count, t.fraud_score, t.fraud_decision, t.fraud_reasons,
           t.created_at
    from transactions t
    left join customers c on c.id = t.customer_id
    left join fraud_customer_lists l on l.customer_id = t.customer_id
    where t.fraud_decision <> 'allow' and t.fraud_label is null
      ${input.decision ? sql`and t.fraud_decision = ${input.decision}` : sql``}
      ${after ? sql`and (t.fraud_score, t.id) < (${Number(after[0])}, ${after[1]})` : sql``}
    order by t.fraud_score desc, t.id desc
    limit ${input.limit + 1}`;
  const [{ total }] = await sql<[{ total: number }]>`
    select count(*)::int as total from transactions
    where fraud_decision <> 'allow' and fraud_label is null
      ${input.decision ? sql`and fraud_decision = ${input.decision}` : sql``}`;
  const page = toPage(rows, { limit: input.limit, sort: "queue", keyOf: (row) => [row.fraud_score, row.id] });
  return {
    items: page.items.map((row) => ({
      id: row.id,
      orderRef: row.order_ref,
      status: row.status,
      customerId: row.customer_id,
      customerName: row.customer_name,
      customerList: row.customer_list,
      paymentMethod: row.payment_method,
      totalCents: row.total_cents,
      itemCount: row.item_count,
      fraudScore: row.fraud_score,
      fraudDecision: row.fraud_decision,
      fraudReasons: readFraudReasons(row.fraud_reasons),
      createdAt: row.created_at,
    })),
    nextCursor: page.nextCursor,
    total,
  };
}

/** Per-rule statistics from the analysts' labels, with the totals they are shares of. */
export interface LabeledRuleStats {
  labeled: number;
  fraud: number;
  legit: number;
  rules: RuleStatistics[];
}

/**
 * How often each rule fired (had a reason on the stored verdict) on transactions labeled fraud and on
 * those labeled legit, counted in the database over the labeled rows (`transactions_label_idx`).
 */
export async function labeledRuleStats(sql: Sql): Promise<LabeledRuleStats> {
  const [totals] = await sql<[{ fraud: number; legit: number }]>`
    select count(*) filter (where fraud_label = 'fraud')::int as fraud,
           count(*) filter (where fraud_label = 'legit')::int as legit
    from transactions where fraud_label is not null`;
  const rows = await sql<{ code: string; on_fraud: number; on_legit: number }[]>`
    select fired.code,
           count(*) filter (where t.fraud_label = 'fraud')::int as on_fraud,
           count(*) filter (where t.fraud_label = 'legit')::int as on_legit
    from transactions t
    cross join lateral (
      select distinct reason ->> 'code' as code
      from jsonb_array_elements(case when jsonb_typeof(t.fraud_reasons) = 'array' then t.fraud_reasons
                                     else '[]'::jsonb end) reason
    ) fired
    where t.fraud_label is not null
    group by fired.code`;
  return { labeled: totals.fraud + totals.legit, ...totals, rules: ruleStatsFromCounts(rows, totals) };
}

/**
 * Rates from firing counts, one entry per reason code (codes no rule knows are dropped).
 * @example ruleStatsFromCounts([{ code: "block_list", on_fraud: 3, on_legit: 1 }], { fraud: 4, legit: 10 })
 */
export function ruleStatsFromCounts(
  counts: readonly { code: string; on_fraud: number; on_legit: number }[],
  totals: { fraud: number; legit: number },
): RuleStatistics[] {
  const byCode = new Map(counts.map((row) => [row.code, row]));
  return REASON_CODES.map((code: ReasonCode) => {
    const firedOnFraud = byCode.get(code)?.on_fraud ?? 0;
    const firedOnLegit = byCode.get(code)?.on_legit ?? 0;
    const fired = firedOnFraud + firedOnLegit;
    return {
      code,
      firedOnFraud,
      firedOnLegit,
      fraudHitRate: totals.fraud === 0 ? 0 : firedOnFraud / totals.fraud,
      legitHitRate: totals.legit === 0 ? 0 : firedOnLegit / totals.legit,
      precision: fired === 0 ? 1 : firedOnFraud / fired,
    };
  });
}
