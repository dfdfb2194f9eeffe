/**
 * Input schemas of product writes, shared by the API and the product edit form in the browser (so
 * this file imports nothing but zod).
 */
import { z } from "zod";

export const maxCents = 100_000_000_00; // a hundred million in cents: far above any shop item, far below 2^53

const supplierTermsInput = z.object({
  supplierId: z.number().int().min(1),
  unitCostCents: z.number().int().min(0).max(maxCents),
  leadTimeDays: z.number().int().min(0).max(365),
  minOrderQty: z.number().int().min(1).max(1_000_000).default(1),
  reliability: z.number().min(0).max(1).nullable().optional(),
});

const suppliersInput = z.array(supplierTermsInput).max(50).refine(
  (terms) => new Set(terms.map((term) => term.supplierId)).size === terms.length,
  "Each supplier may appear once",
);

// Prices of zero are refused: REST coerces a JSON null to 0, and a free product is always a mistake here
const priceInput = z.number().int().min(1).max(maxCents);
const reorderSettings = {
  reorderPoint: z.number().int().min(0).max(1_000_000).nullable().optional()
    .describe("Manual reorder point; null returns to the computed one"),
  serviceLevel: z.number().min(0.5).max(0.999).optional().describe(
    "Chance of not running out within a lead time",
  ),
  targetDaysOfCover: z.number().int().min(1).max(365).optional().describe(
    "Days of demand a reorder should cover",
  ),
};

export const createProductInput = z.object({
  sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, "Letters, digits, '.', '_' and '-' only"),
  name: z.string().trim().min(1).max(200),
  category: z.string().trim().min(1).max(100),
  brand: z.string().trim().max(100).nullable().optional(),
  priceCents: priceInput,
  costCents: z.number().int().min(0).max(maxCents).nullable().optional(),
  stockQuantity: z.number().int().min(0).max(1_000_000).default(0),
  ...reorderSettings,
  suppliers: suppliersInput.default([]),
});

export const updateProductInput = z.object({
  id: z.number().int().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  brand: z.string().trim().max(100).nullable().optional(),
  priceCents: priceInput.optional(),
  costCents: z.number().int().min(0).max(maxCents).nullable().optional(),
  stockQuantity: z.number().int().min(0).max(1_000_000).optional()
    .describe("Counted stock: sets the quantity and publishes stock.changed"),
  ...reorderSettings,
  isActive: z.boolean({ message: "isActive is true or false" }).optional(),
  suppliers: suppliersInput.optional().describe("Replaces the product's whole supplier list"),
}).refine((input) => Object.keys(input).some((key) => key !== "id"), "Give at least one field to change");
