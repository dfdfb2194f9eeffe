import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Urgency } from "./reorder_plan.ts";
import type { SupplierScore } from "./supplier_score.ts";

export type SuggestionStatus = "open" | "snoozed" | "approved" | "rejected" | "withdrawn";

/** A reorder suggestion as the API shows it. */
export interface Suggestion {
  id: number;
  productId: number;
  productName: string;
  sku: string;
  stockQuantity: number;
  supplierId: number;
  supplierName: string;
  quantity: number;
  unitCostCents: number;
  estimatedCostCents: number;
  reorderPoint: number;
  safetyStock: number;
  stockAtSuggestion: number;
  daysUntilStockout: number | null;
  leadTimeDays: number | null;
  urgency: Urgency;
  status: SuggestionStatus;
  reason: string;
  supplierReason: string;
  supplierScores: SupplierScore[];
  snoozedUntil: Date | null;
  decidedAt: Date | null;
  decidedBy: number | null;
  decisionNote: string | null;
  purchaseOrderId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns a suggestion is written with (by the suggestions job). */
export interface SuggestionDraft {
  productId: number;
  supplierId: number;
  quantity: number;
  unitCostCents: number;
  reorderPoint: number;
  safetyStock: number;
  stockAtSuggestion: number;
  daysUntilStockout: number | null;
  leadTimeDays: number;
  urgency: Urgency;
  reason: string;
  supplierReason: string;
  supplierScores: SupplierScore[];
}

function selectSuggestions(sql: Sql | TransactionSql) {
  return sql`
    select r.id, r.product_id as "productId", p.name as "productName", p.sku, p.stock_quantity as "stockQuantity",
           r.supplier_id as "supplierId", s.name as "supplierName", r.quantity, r.unit_cost_cents as "unitCostCents",
           r.estimated_cost_cents as "estimatedCostCents", r.reorder_point as "reorderPoint",
           r.safety_stock as "safetyStock", r.stock_at_suggestion as "stockAtSuggestion",
           r.days_until_stockout as "daysUntilStockout", r.lead_time_days as "leadTimeDays", r.urgency,
           r.status, r.reason, r.supplier_reason as "supplierReason", r.supplier_scores as "supplierScores",
           r.snoozed_until as "snoozedUntil", r.decided_at as "decidedAt", r.decided_by as "decidedBy",
           r.decision_note as "decisionNote", r.purchase_order_id as "purchaseOrderId",
           r.created_at as "createdAt", r.updated_at as "updatedAt"
    from reorder_suggestions r
    join products p on p.id = r.product_id
    join suppliers s on s.id = r.supplier_id`;
}

/** Filters of the suggestion list. */
export interface SuggestionFilter {
  /** "open" includes snoozed suggestions whose snooze has ended; "active" is open plus snoozed. */
  status: SuggestionStatus | "active";
  urgency?: Urgency;
  supplierId?: number;
  limit: number;
  /** Continue after this suggestion id (keyset, newest first for decided lists). */
  afterId?: number;
  now: Date;
}

/**
 * Suggestions by status. Open lists come most urgent first (then soonest stock-out) and are short by
 * nature, so they are not paginated beyond `limit`; decided lists are newest first with a keyset.
 */
export async function listSuggestions(sql: Sql, filter: SuggestionFilter): Promise<Suggestion[]> {
  const status = filter.status === "open"
    ? sql`(r.status = 'open' or (r.status = 'snoozed' and r.snoozed_until <= ${filter.now}))`
    : filter.status === "snoozed"
    ? sql`(r.status = 'snoozed' and r.snoozed_until > ${filter.now})`
    : filter.status === "active"
    ? sql`r.status in ('open', 'snoozed')`
    : sql`r.status = ${filter.status}`;
  const open = filter.status === "open" || filter.status === "snoozed" || filter.status === "active";
  return await sql<Suggestion[]>`
    ${selectSuggestions(sql)}
    where ${status}
      ${filter.urgency ? sql`and r.urgency = ${filter.urgency}` : sql``}
      ${filter.supplierId ? sql`and r.supplier_id = ${filter.supplierId}` : sql``}
      ${!open && filter.afterId ? sql`and r.id < ${filter.afterId}` : sql``}
    order by ${
    open
      ? sql`case r.urgency when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end,
          r.days_until_stockout asc nulls last, r.id`
      : sql`r.id desc`
  }
    limit ${filter.limit}`;
}

/** One suggestion, or undefined. With `forUpdate` it is locked until the transaction ends. */
export async function findSuggestion(
  sql: Sql | TransactionSql,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<Suggestion | undefined> {
  const [row] = await sql<[Suggestion?]>`
    ${selectSuggestions(sql)}
    where r.id = ${id}
    ${options.forUpdate ? sql`for update of r` : sql``}`;
  return row;
}

/** Open and snoozed suggestions by product. */
export async function activeSuggestionsByProduct(
  sql: Sql | TransactionSql,
): Promise<Map<number, { id: number; status: "open" | "snoozed" }>> {
  const rows = await sql<{ id: number; productId: number; status: "open" | "snoozed" }[]>`
    select id, product_id as "productId", status from reorder_suggestions where status in ('open', 'snoozed')`;
  return new Map(rows.map((row) => [row.productId, { id: row.id, status: row.status }]));
}

/** Puts suggestions whose snooze has ended back on the open list. */
export async function reopenSnoozedSuggestions(sql: Sql | TransactionSql, now: Date): Promise<number> {
  const result = await sql`
    update reorder_suggestions set status = 'open', snoozed_until = null, updated_at = ${now}
    where status = 'snoozed' and snoozed_until <= ${now}`;
  return result.count;
}

function draftRows(drafts: readonly SuggestionDraft[]) {
  return drafts.map((d) => ({
    product_id: d.productId,
    supplier_id: d.supplierId,
    quantity: d.quantity,
    unit_cost_cents: d.unitCostCents,
    estimated_cost_cents: d.quantity * d.unitCostCents,
    reorder_point: d.reorderPoint,
    safety_stock: d.safetyStock,
    stock_at_suggestion: d.stockAtSuggestion,
    days_until_stockout: d.daysUntilStockout,
    lead_time_days: d.leadTimeDays,
    urgency: d.urgency,
    reason: d.reason,
    supplier_reason: d.supplierReason,
    supplier_scores: d.supplierScores,
  }));
}

const recordColumns = `product_id bigint, supplier_id bigint, quantity int, unit_cost_cents bigint,
  estimated_cost_cents bigint, reorder_point int, safety_stock int, stock_at_suggestion int,
  days_until_stockout real, lead_time_days int, urgency text, reason text, supplier_reason text,
  supplier_scores jsonb`;

/**
 * Opens suggestions for products without an open or snoozed one. A product that got one meanwhile
 * (another instance, a concurrent run) is skipped by the one-open-per-product index. Returns how
 * many were created.
 */
export async function insertSuggestions(
  sql: Sql | TransactionSql,
  drafts: readonly SuggestionDraft[],
  now: Date,
): Promise<number> {
  if (drafts.length === 0) return 0;
  const result = await sql`
    insert into reorder_suggestions (product_id, supplier_id, quantity, unit_cost_cents, estimated_cost_cents,
      reorder_point, safety_stock, stock_at_suggestion, days_until_stockout, lead_time_days, urgency, reason,
      supplier_reason, supplier_scores, created_at, updated_at)
    select r.product_id, r.supplier_id, r.quantity, r.unit_cost_cents, r.estimated_cost_cents, r.reorder_point,
           r.safety_stock, r.stock_at_suggestion, r.days_until_stockout, r.lead_time_days, r.urgency, r.reason,
           r.supplier_reason, r.supplier_scores, ${now}, ${now}
    from jsonb_to_recordset(${sql.json(draftRows(drafts) as never)}::jsonb) as r(${sql.unsafe(recordColumns)})
    on conflict (product_id) where status in ('open', 'snoozed') do nothing`;
  return result.count;
}

/** Refreshes the figures of open suggestions from newer plans. Returns how many changed. */
export async function refreshOpenSuggestions(
  sql: Sql | TransactionSql,
  drafts: readonly SuggestionDraft[],
  now: Date,
): Promise<number> {
  if (drafts.length === 0) return 0;
  const result = await sql`
    update reorder_suggestions t
    set supplier_id = r.supplier_id, quantity = r.quantity, unit_cost_cents = r.unit_cost_cents,
        estimated_cost_cents = r.estimated_cost_cents, reorder_point = r.reorder_point,
        safety_stock = r.safety_stock, stock_at_suggestion = r.stock_at_suggestion,
        days_until_stockout = r.days_until_stockout, lead_time_days = r.lead_time_days, urgency = r.urgency,
        reason = r.reason, supplier_reason = r.supplier_reason, supplier_scores = r.supplier_scores,
        updated_at = ${now}
    from jsonb_to_recordset(${sql.json(draftRows(drafts) as never)}::jsonb) as r(${sql.unsafe(recordColumns)})
    where t.product_id = r.product_id and t.status = 'open'`;
  return result.count;
}

/** Withdraws open suggestions the plans no longer call for. Returns how many. */
export async function withdrawSuggestions(
  sql: Sql | TransactionSql,
  ids: readonly number[],
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql`
    update reorder_suggestions
    set status = 'withdrawn', decided_at = ${now}, updated_at = ${now},
        decision_note = 'No longer needed: projected stock stays above the reorder point'
    where id = any(${sql.array([...ids], 20)}::bigint[]) and status = 'open'`;
  return result.count;
}
