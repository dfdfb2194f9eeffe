import type { Sql } from "../db/mod.ts";
import type { SuggestionRunSummary } from "../events/app_events.ts";
import { type PlannedProduct, planProducts } from "./reorder_planning.ts";
import {
  activeSuggestionsByProduct,
  insertSuggestions,
  refreshOpenSuggestions,
  reopenSnoozedSuggestions,
  type SuggestionDraft,
  withdrawSuggestions,
} from "./suggestion_queries.ts";

/** What a suggestions run changed (the `suggestion.changed` event of the job carries it). */
export type { SuggestionRunSummary };

function whole(value: number): number {
  return Math.round(value);
}

/** What the lead time leaves: "3", "none", or "none, 2 short" (a buyer does not read "-2" as stock). */
function leftover(units: number): string {
  if (units > 0) return String(units);
  return units === 0 ? "none" : `none, ${-units} short`;
}

/** The sentence saying why a product needs an order now. */
export function suggestionReason(planned: PlannedProduct): string {
  const { product, plan } = planned;
  const onOrder = product.onOrder ? ` plus ${product.onOrder} on order` : "";
  const stockout = plan.daysUntilStockout === null
    ? ""
    : `; about ${plan.daysUntilStockout.toFixed(1)} days of stock left`;
  return `Stock ${product.stock}${onOrder}, less about ${
    whole(plan.leadTimeDemand)
  } units forecast to sell ` +
    `in the ${plan.leadTimeDays}-day lead time, leaves ${
      leftover(whole(plan.projectedStockAtLeadTime))
    }: at or below ` +
    `the ${plan.reorderPointIsManual ? "manual " : ""}reorder point of ${plan.reorderPoint}${stockout}` +
    (plan.pricingNote ? `. ${plan.pricingNote}` : "");
}

/** The suggestion a plan calls for, or null when it calls for none. */
export function draftFromPlan(planned: PlannedProduct): SuggestionDraft | null {
  const { product, plan } = planned;
  const supplier = plan.ranking.winner;
  if (!plan.shouldReorder || !supplier) return null;
  return {
    productId: product.productId,
    supplierId: Number(supplier.supplierId),
    quantity: plan.quantity,
    unitCostCents: plan.unitCostCents,
    reorderPoint: plan.reorderPoint,
    safetyStock: Math.ceil(plan.safetyStock - 1e-9),
    stockAtSuggestion: product.stock,
    daysUntilStockout: plan.daysUntilStockout === null ? null : Math.round(plan.daysUntilStockout * 10) / 10,
    leadTimeDays: plan.leadTimeDays,
    urgency: plan.urgency,
    reason: suggestionReason(planned),
    supplierReason: plan.ranking.reason,
    supplierScores: plan.ranking.ranked,
  };
}

/**
 * The reorder suggestions job's work: plans every active product and keeps one open suggestion per
 * product that needs an order. New needs open a suggestion, open ones get the latest figures, open
 * ones no longer needed are withdrawn, snoozed ones whose snooze ended reopen; a suggestion still
 * snoozed is left alone. Runs in one transaction, so a failed run changes nothing.
 */
export async function refreshReorderSuggestions(
  sql: Sql,
  options: { timeZone: string; now: Date },
): Promise<SuggestionRunSummary> {
  return await sql.begin(async (tx) => {
    // one run at a time: two instances running at once would otherwise race on the same products
    await tx`select pg_advisory_xact_lock(726151040)`;
    const reopened = await reopenSnoozedSuggestions(tx, options.now);
    const planned = await planProducts(tx, options);
    const active = await activeSuggestionsByProduct(tx);
    const create: SuggestionDraft[] = [];
    const refresh: SuggestionDraft[] = [];
    const withdraw: number[] = [];
    let stillSnoozed = 0;
    for (const item of planned) {
      const draft = draftFromPlan(item);
      const existing = active.get(item.product.productId);
      if (draft && !existing) create.push(draft);
      else if (draft && existing?.status === "open") refresh.push(draft);
      else if (draft && existing?.status === "snoozed") stillSnoozed += 1;
      else if (!draft && existing?.status === "open") withdraw.push(existing.id);
    }
    // a product taken off sale keeps no open suggestion
    const plannedIds = new Set(planned.map((item) => item.product.productId));
    for (const [productId, existing] of active) {
      if (!plannedIds.has(productId) && existing.status === "open") withdraw.push(existing.id);
    }
    return {
      planned: planned.length,
      created: await insertSuggestions(tx, create, options.now),
      refreshed: await refreshOpenSuggestions(tx, refresh, options.now),
      withdrawn: await withdrawSuggestions(tx, withdraw, options.now),
      reopened,
      stillSnoozed,
    };
  }) as SuggestionRunSummary;
}
