/**
 * One product's reorder plan: which supplier, the reorder point at that supplier's lead time, days
 * until stock-out, urgency, whether to suggest an order now and how much. Pure: it combines the
 * reorder maths and the supplier scoring on data the caller has read.
 * @module
 */
import {
  daysUntilStockout,
  type ForecastBands,
  leadTimeDemand,
  orderQuantity,
  reorderPoint,
} from "./reorder_math.ts";
import { priceOrder, pricingSentence } from "./price_breaks.ts";
import {
  DEFAULT_SUPPLIER_WEIGHTS,
  scoreSuppliers,
  type SupplierCandidate,
  type SupplierRanking,
  type SupplierWeights,
} from "./supplier_score.ts";

/** How soon a product runs out; "low" is only used for suggestions made early. */
export type Urgency = "critical" | "high" | "medium" | "low";

/** Days of slack before a stock-out that make a product "high" rather than "medium". */
export const HIGH_SLACK_DAYS = 7;
/** Days of slack below which a product is still "medium"; more slack than this is "low". */
export const MEDIUM_SLACK_DAYS = 14;
/** Below this many days of cover a product is critical whatever the lead time. */
export const CRITICAL_DAYS = 3;

/**
 * Urgency from the days of cover left (days until the forecast demand uses up the stock) compared
 * with the lead time of the supplier who would restock it:
 * - critical: out of stock, under 3 days of cover, or cover no longer than the lead time (an order
 *   placed now arrives after the shelf is empty);
 * - high: under 7 days of cover, or at most 7 days more than the lead time;
 * - medium: at most 14 days more than the lead time;
 * - low: more cover than that (or no demand forecast at all).
 * @param daysOfCover null when no stock-out is projected
 * @example urgencyFromCover(4, 5) // "critical"
 */
export function urgencyFromCover(daysOfCover: number | null, leadTimeDays: number): Urgency {
  if (daysOfCover === null) return "low";
  if (daysOfCover < CRITICAL_DAYS || daysOfCover <= leadTimeDays) return "critical";
  if (daysOfCover < HIGH_SLACK_DAYS || daysOfCover <= leadTimeDays + HIGH_SLACK_DAYS) return "high";
  if (daysOfCover <= leadTimeDays + MEDIUM_SLACK_DAYS) return "medium";
  return "low";
}

/** Everything known about one product that its plan depends on. */
export interface ReorderPlanInput {
  stock: number;
  /** Units ordered from suppliers and not yet received. */
  onOrder: number;
  /** Manual reorder point set on the product; null means computed. */
  reorderPointOverride: number | null;
  /** Probability of no stock-out during the lead time (products.service_level). */
  serviceLevel: number;
  /** Days of demand an order covers after it arrives (products.target_days_of_cover). */
  targetDays: number;
  /** The latest demand forecast, or null when none was computed yet (treated as no demand). */
  forecast: ForecastBands | null;
  /** The product's suppliers; reliability already taken from history where there is some. */
  offers: readonly SupplierCandidate[];
  weights?: SupplierWeights;
}

/** A product's reorder plan. */
export interface ReorderPlan {
  ranking: SupplierRanking;
  /** Lead time of the chosen supplier (0 when no supplier offers the product). */
  leadTimeDays: number;
  leadTimeDemand: number;
  safetyStock: number;
  reorderPoint: number;
  /** True when the reorder point is the product's manual override. */
  reorderPointIsManual: boolean;
  /** Fractional days until stock-out at the forecast rate; null when none is projected. */
  daysUntilStockout: number | null;
  /** Mean forecast units per day over the forecast horizon. */
  averageDailyDemand: number;
  /** Stock plus on order, less the demand expected until a new order would arrive. */
  projectedStockAtLeadTime: number;
  urgency: Urgency;
  /** True when projected stock crosses the reorder point within the lead time and a supplier exists. */
  shouldReorder: boolean;
  /** Units to order from the chosen supplier (0 when no order is needed). */
  quantity: number;
  quantityMethod: "target_days" | "eoq";
  raisedToMinimum: boolean;
  /** Unit cost at the order quantity (the supplier's price break it reaches, else the base cost). */
  unitCostCents: number;
  /** What the pack size and price break did to the order, in words; "" when nothing. */
  pricingNote: string;
}

const noDemand: ForecastBands = { point: [0], upper80: [0] };

/**
 * Plans one product: scores its suppliers, computes the reorder point at the winner's lead time, and
 * suggests an order when stock plus on-order, less the demand expected during the lead time, falls
 * to the reorder point or below. Urgency comes from the days until stock-out of the stock on hand.
 */
export function planReorder(input: ReorderPlanInput): ReorderPlan {
  const forecast = input.forecast && input.forecast.point.length ? input.forecast : noDemand;
  const ranking = scoreSuppliers(input.offers, input.weights ?? DEFAULT_SUPPLIER_WEIGHTS);
  const supplier = ranking.winner;
  const leadTimeDays = supplier?.leadTimeDays ?? 0;
  const serviceLevel = Math.min(0.999, Math.max(0.5, input.serviceLevel));
  const computed = reorderPoint(forecast, leadTimeDays, { serviceLevel });
  const manual = input.reorderPointOverride !== null;
  const point = manual ? input.reorderPointOverride! : computed.reorderPoint;
  const stockout = daysUntilStockout(input.stock, forecast.point);
  const demandUntilArrival = leadTimeDemand(forecast.point, leadTimeDays);
  const projected = input.stock + input.onOrder - demandUntilArrival;
  const average = forecast.point.reduce((sum, value) => sum + value, 0) / forecast.point.length;
  // Nothing sells and nothing is set by hand: a reorder point of 0 must not reorder an empty shelf forever.
  const crosses = projected <= point && (average > 0 || (manual && input.stock + input.onOrder <= point));
  const order = supplier && crosses
    ? orderQuantity({
      point: forecast.point,
      leadTimeDays,
      targetDays: input.targetDays,
      safetyStock: computed.safetyStock,
      // a manual reorder point above the computed one asks for that much stock to be kept
      currentStock: input.stock - Math.max(0, point - computed.reorderPoint),
      onOrder: input.onOrder,
      minOrderQty: supplier.minOrderQty,
    })
    : null;
  // the supplier ships in packs and prices by quantity: round up, then price at the final quantity
  const terms = supplier && input.offers.find((offer) => offer.supplierId === supplier.supplierId);
  const priced = terms && order ? priceOrder(order.quantity, terms) : null;
  return {
    ranking,
    leadTimeDays,
    leadTimeDemand: computed.leadTimeDemand,
    safetyStock: computed.safetyStock,
    reorderPoint: point,
    reorderPointIsManual: manual,
    daysUntilStockout: stockout,
    averageDailyDemand: average,
    projectedStockAtLeadTime: projected,
    urgency: average > 0
      ? urgencyFromCover(stockout, leadTimeDays)
      // without forecast demand only a manual reorder point can make a product short
      : manual && input.stock <= point
      ? "medium"
      : "low",
    shouldReorder: order !== null && order.quantity > 0,
    quantity: priced?.quantity ?? 0,
    quantityMethod: order?.method ?? "target_days",
    raisedToMinimum: order?.raisedToMinimum ?? false,
    unitCostCents: priced?.unitCostCents ?? supplier?.unitCostCents ?? 0,
    pricingNote: priced && order && terms ? pricingSentence(order.quantity, priced, terms) : "",
  };
}

/** The one rule for "running low": the plan projects a stock-out soon enough to matter. */
export function isRunningShort(plan: Pick<ReorderPlan, "urgency">): boolean {
  return plan.urgency !== "low";
}
