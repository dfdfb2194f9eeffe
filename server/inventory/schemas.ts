/** Output schemas of the inventory and purchase-order procedures (also the OpenAPI shapes). */
import { z } from "zod";
import { idParamSchema } from "../shared/ids.ts";

export const urgencySchema = z.enum(["critical", "high", "medium", "low"]);

export const lowStockItemSchema = z.object({
  productId: z.number().int(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  stockQuantity: z.number().int(),
  onOrder: z.number().int().describe("Units on purchase orders not yet received"),
  reorderPoint: z.number().int(),
  reorderPointIsManual: z.boolean(),
  safetyStock: z.number().int(),
  averageDailyDemand: z.number().describe("Mean forecast units a day over the next 30 days"),
  daysOfCover: z.number().nullable().describe(
    "Days until stock-out at the forecast rate; null: none projected",
  ),
  daysUntilStockout: z.number().nullable(),
  urgency: urgencySchema.describe(
    "critical: cover <= lead time or < 3 days; high: <= lead time + 7 or < 7 days; medium: <= lead time + 14",
  ),
  leadTimeDays: z.number().int(),
  supplier: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  openSuggestionId: z.number().int().nullable(),
  forecastGeneratedAt: z.date().nullable(),
});

export const lowStockSchema = z.object({
  items: z.array(lowStockItemSchema),
  counts: z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int() }),
});

const bandsSchema = {
  point: z.array(z.number()),
  lower80: z.array(z.number()),
  upper80: z.array(z.number()),
  lower95: z.array(z.number()),
  upper95: z.array(z.number()),
};

export const predictionSchema = z.object({
  productId: z.number().int(),
  productName: z.string(),
  sku: z.string(),
  stockQuantity: z.number().int(),
  forecast: z.object({
    model: z.string().describe(
      "median or combination (of several models), a single model (holt_winters, tsb, croston_sba, theta, damped_ets, " +
        "weekday_median, hybrid), a baseline when nothing beat seasonal naive (seasonal_naive, moving_mean), mean or zero",
    ),
    params: z.record(z.string(), z.number()).describe(
      "Fitted parameters, plus naiveMase (seasonal naive's backtest MASE), backtestCoverage80/95, fallback (1 when " +
        "nothing beat seasonal naive), missingDays (out-of-stock days excluded) and weight.<model>",
    ),
    events: z.array(z.object({ day: z.string(), kind: z.string(), name: z.string() })).describe(
      "Calendar events (promotions, closures, public holidays) in the forecast window",
    ),
    backtestMase: z.number().nullable().describe(
      "Mean MASE over the rolling-origin backtest; below 1 beats naive",
    ),
    horizonDays: z.number().int(),
    startsOn: z.string().describe("First forecast day, YYYY-MM-DD in the store's time zone"),
    days: z.array(z.string()),
    generatedAt: z.date(),
    ...bandsSchema,
  }).nullable().describe("null until the predictions job or a recompute has run for the product"),
  history: z.object({
    days: z.array(z.string()),
    units: z.array(z.number().int()),
  }).describe("Daily units sold before the forecast, for the chart"),
});

export const supplierScoreSchema = z.object({
  supplierId: z.number().int(),
  name: z.string(),
  scores: z.object({ price: z.number(), reliability: z.number(), delivery: z.number() }),
  total: z.number(),
  rank: z.number().int(),
  reliabilityKnown: z.boolean(),
  unitCostCents: z.number().int(),
  leadTimeDays: z.number().int(),
  minOrderQty: z.number().int(),
});

export const suggestionSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  sku: z.string(),
  stockQuantity: z.number().int(),
  supplierId: z.number().int(),
  supplierName: z.string(),
  quantity: z.number().int(),
  unitCostCents: z.number().int(),
  estimatedCostCents: z.number().int(),
  reorderPoint: z.number().int(),
  safetyStock: z.number().int(),
  stockAtSuggestion: z.number().int(),
  daysUntilStockout: z.number().nullable(),
  leadTimeDays: z.number().int().nullable(),
  urgency: urgencySchema,
  status: z.enum(["open", "snoozed", "approved", "rejected", "withdrawn"]),
  reason: z.string().describe("Why the product needs an order now"),
  supplierChoice: z.object({
    reason: z.string().describe("Why the chosen supplier won"),
    suppliers: z.array(supplierScoreSchema),
  }),
  snoozedUntil: z.date().nullable(),
  decidedAt: z.date().nullable(),
  decisionNote: z.string().nullable(),
  purchaseOrderId: z.number().int().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** ordered -> partially_received -> received; an open order can be closed short or cancelled. */
export const PURCHASE_ORDER_STATUSES = [
  "ordered",
  "partially_received",
  "received",
  "closed_short",
  "cancelled",
] as const;

export const purchaseOrderSchema = z.object({
  id: z.number().int(),
  supplierId: z.number().int(),
  supplierName: z.string(),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  totalCents: z.number().int(),
  orderedAt: z.date(),
  expectedAt: z.date(),
  receivedAt: z.date().nullable(),
  onTime: z.boolean().nullable(),
  lines: z.array(z.object({
    productId: z.number().int(),
    productName: z.string(),
    sku: z.string(),
    suggestionId: z.number().int().nullable(),
    quantity: z.number().int(),
    /** delivered so far; the rest is on backorder while the order is open */
    receivedQuantity: z.number().int(),
    unitCostCents: z.number().int(),
    lineTotalCents: z.number().int(),
  })),
});

export const supplierWeightsSchema = z.object({
  price: z.number().min(0).max(100),
  reliability: z.number().min(0).max(100),
  delivery: z.number().min(0).max(100),
});

/** The limits of a supplier's quantity terms, shared by the API and the form (which words them in units). */
export const supplierTermsLimits = {
  maxPackUnits: 100_000,
  maxBreakUnits: 10_000_000,
  maxBreakCostCents: 100_000_000,
  maxBreaks: 20,
} as const;

export const supplierTermsSchema = z.object({
  orderMultiple: z.number().int().min(1, "A pack holds at least 1 unit").max(
    supplierTermsLimits.maxPackUnits,
  ),
  priceBreaks: z.array(z.object({
    minQty: z.number().int().min(1, "A break starts at 1 unit or more").max(
      supplierTermsLimits.maxBreakUnits,
    ),
    unitCostCents: z.number().int().min(0).max(supplierTermsLimits.maxBreakCostCents),
  })).max(supplierTermsLimits.maxBreaks).refine(
    (breaks) => new Set(breaks.map((b) => b.minQty)).size === breaks.length,
    "Each break needs its own minimum quantity",
  ),
});
export type SupplierTermsInput = z.infer<typeof supplierTermsSchema>;

export const supplierTermsKeySchema = z.object({ productId: idParamSchema, supplierId: idParamSchema });
