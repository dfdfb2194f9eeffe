import { z } from "zod";
import { cursorInput, limitInput, pageSchema } from "../db/keyset.ts";
import { TRANSACTION_STATUSES } from "./lifecycle.ts";
import { pickIdentity, saleIdentityFields, storedIdentitySchema } from "../fraud/model/identity_schema.ts";
import type { SaleIdentity } from "../fraud/model/identity.ts";
import { idFieldSchema, idParamSchema } from "../shared/ids.ts";

/** A database id as it arrives in a path, a query string or a body. */
const quantitySchema = z.number().int().min(1).max(1000);
const centsSchema = z.number().int().min(0).max(100_000_000_000);

/** Sales channels the shop sells through. */
export const CHANNELS = ["web", "mobile", "store", "phone", "marketplace"] as const;

/** The ways a customer can pay; anything else is refused, so reports group real methods only. */
export const PAYMENT_METHODS = [
  "card",
  "paypal",
  "apple_pay",
  "google_pay",
  "bank_transfer",
  "gift_card",
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

const paymentMethodSchema = z.enum(PAYMENT_METHODS, {
  error: () => `Choose a payment method: ${PAYMENT_METHODS.join(", ")}`,
});

/** An Idempotency-Key: printable ASCII, like the header it usually comes from. */
export const idempotencyKeySchema = z.string().min(8).max(200).regex(
  /^[\x21-\x7e]+$/,
  "Use 8 to 200 printable ASCII characters without spaces",
);

const itemInputSchema = z.object({ productId: idFieldSchema, quantity: quantitySchema });

/** An order to create, after normalising either accepted body form. */
export interface NewTransaction {
  customerId: number;
  /** One line per product, in the order first given; repeated products are merged. */
  items: { productId: number; quantity: number }[];
  paymentMethod: PaymentMethod;
  channel: (typeof CHANNELS)[number];
  idempotencyKey?: string;
  /** Device, IP, email, card and addresses, when the checkout sent them. */
  identity?: SaleIdentity;
}

/**
 * Body of `POST /transactions`: `{customerId, items: [{productId, quantity}], paymentMethod, channel?}`, or
 * the reference's single-product form `{customerId, productId, quantity, paymentMethod}`. Both normalise to
 * `NewTransaction`.
 */
export const createTransactionInput = z.object({
  customerId: idFieldSchema,
  items: z.array(itemInputSchema).min(1).max(50).optional()
    .describe("The order lines; or give productId and quantity for a one-product order"),
  productId: idFieldSchema.optional().describe("Single-product form: the product (instead of items)"),
  quantity: quantitySchema.optional().describe("Single-product form: how many (default 1)"),
  paymentMethod: paymentMethodSchema,
  channel: z.enum(CHANNELS).default("web"),
  idempotencyKey: idempotencyKeySchema.optional()
    .describe("Makes a retry return the first result; the Idempotency-Key header does the same"),
  ...saleIdentityFields,
}).superRefine((body, ctx) => {
  if (body.items && body.productId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["productId"],
      message: "Give either items or productId, not both",
    });
  } else if (!body.items && body.productId === undefined) {
    ctx.addIssue({ code: "custom", path: ["items"], message: "Give items, or productId and quantity" });
  }
  if (body.items && body.quantity !== undefined) {
    ctx.addIssue({ code: "custom", path: ["quantity"], message: "quantity goes inside each item" });
  }
}).transform((body): NewTransaction => {
  const lines = body.items ?? [{ productId: body.productId!, quantity: body.quantity ?? 1 }];
  const merged = new Map<number, number>();
  for (const line of lines) merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return {
    customerId: body.customerId,
    items: [...merged].map(([productId, quantity]) => ({ productId, quantity })),
    paymentMethod: body.paymentMethod,
    channel: body.channel,
    ...(body.idempotencyKey === undefined ? {} : { idempotencyKey: body.idempotencyKey }),
    ...(pickIdentity(body) ? { identity: pickIdentity(body) } : {}),
  };
});

/** `true`/`false` from a query string, or a boolean from a typed client. */
const flagSchema = z.union([z.boolean(), z.enum(["true", "false", "1", "0"])])
  .transform((value) => value === true || value === "true" || value === "1");

/** Sorts of the transaction list. */
export const LIST_SORTS = ["created", "amount"] as const;

/** Filters, sort and page of `GET /transactions`. */
export const listTransactionsInput = z.object({
  status: z.enum(TRANSACTION_STATUSES).optional(),
  customerId: idParamSchema.optional(),
  productId: idParamSchema.optional().describe("Only transactions with a line of this product"),
  category: z.string().min(1).max(64).optional().describe("Only transactions with a line in this category"),
  segment: z.string().min(1).max(64).optional()
    .describe("Only transactions of customers in this RFM segment (the last purchase-pattern run)"),
  from: z.coerce.date().optional().describe("Created at or after (ISO 8601)"),
  to: z.coerce.date().optional().describe("Created before (ISO 8601)"),
  minAmountCents: centsSchema.optional(),
  maxAmountCents: centsSchema.optional(),
  suspicious: flagSchema.optional().describe("Only transactions the fraud check sent to review or blocked"),
  sort: z.enum(LIST_SORTS).default("created"),
  order: z.enum(["desc", "asc"]).default("desc"),
  limit: limitInput,
  cursor: cursorInput,
}).refine((input) => !(input.from && input.to && input.from >= input.to), {
  path: ["to"],
  message: "to must be after from",
}).refine(
  (input) =>
    input.minAmountCents === undefined || input.maxAmountCents === undefined ||
    input.minAmountCents <= input.maxAmountCents,
  { path: ["maxAmountCents"], message: "maxAmountCents must not be below minAmountCents" },
);
export type ListTransactionsInput = z.output<typeof listTransactionsInput>;

/** Page of the suspicious queue: riskiest first, optionally only those not yet labeled. */
export const suspiciousInput = z.object({
  unlabeled: flagSchema.optional().describe("Only transactions no analyst has labeled yet"),
  decision: z.enum(["review", "block"]).optional(),
  limit: limitInput,
  cursor: cursorInput,
});
export type SuspiciousInput = z.output<typeof suspiciousInput>;

export const transactionIdInput = z.object({ id: idParamSchema });

/** Refund or cancel: why, for the record. */
export const lifecycleInput = z.object({
  id: idParamSchema,
  reason: z.string().trim().max(500).default(""),
});

export const labelInput = z.object({
  id: idParamSchema,
  label: z.enum(["fraud", "legit"]),
  note: z.string().trim().max(500).optional(),
});

const fraudReasonSchema = z.object({
  code: z.string(),
  message: z.string(),
  contribution: z.number(),
});

/** One row of a transaction list. */
export const transactionSummarySchema = z.object({
  id: z.number().int(),
  orderRef: z.string(),
  status: z.enum(TRANSACTION_STATUSES),
  customerId: z.number().int().nullable(),
  customerName: z.string().nullable(),
  paymentMethod: z.string(),
  channel: z.string(),
  totalCents: z.number().int(),
  itemCount: z.number().int(),
  fraudScore: z.number(),
  fraudDecision: z.enum(["allow", "review", "block"]),
  fraudLabel: z.enum(["fraud", "legit"]).nullable(),
  /** made by the traffic simulator (`SIMULATE_TRAFFIC`), not by a customer */
  simulated: z.boolean(),
  createdAt: z.date(),
});
export type TransactionSummary = z.infer<typeof transactionSummarySchema>;

export const transactionPageSchema = pageSchema(transactionSummarySchema);

/** One row of the suspicious queue: the summary plus the reasons an analyst reviews. */
export const suspiciousTransactionSchema = transactionSummarySchema.extend({
  fraudReasons: z.array(fraudReasonSchema),
});
export type SuspiciousTransaction = z.infer<typeof suspiciousTransactionSchema>;
export const suspiciousPageSchema = pageSchema(suspiciousTransactionSchema);

const itemSchema = z.object({
  productId: z.number().int(),
  sku: z.string(),
  productName: z.string(),
  category: z.string(),
  quantity: z.number().int(),
  unitPriceCents: z.number().int(),
  lineTotalCents: z.number().int(),
});

const statusChangeSchema = z.object({
  fromStatus: z.string(),
  toStatus: z.string(),
  by: z.string(),
  reason: z.string(),
  stockRestored: z.boolean(),
  at: z.date(),
});

/** One partial (or line-level) refund: what went back, for how much, and whether it was restocked. */
const refundSchema = z.object({
  id: z.number().int(),
  amountCents: z.number().int(),
  reason: z.string(),
  by: z.string(),
  at: z.date(),
  lines: z.array(z.object({
    productId: z.number().int(),
    quantity: z.number().int(),
    amountCents: z.number().int(),
    restock: z.boolean(),
  })),
});

/** A refund of some units of some lines of a completed sale, each line restocked or not. */
export const refundLinesInput = z.object({
  id: idParamSchema,
  lines: z.array(z.object({
    productId: idFieldSchema,
    quantity: z.number().int().min(1, "Refund at least one unit").max(1_000_000),
    restock: z.boolean({ message: "restock is true or false" })
      .describe("True puts the units back in stock; false for damaged goods"),
  })).min(1, "Choose at least one line to refund").max(200),
  reason: z.string().trim().max(500).default(""),
});

/** A transaction with its lines, customer, fraud verdict and status history. */
export const transactionDetailSchema = z.object({
  id: z.number().int(),
  orderRef: z.string(),
  status: z.enum(TRANSACTION_STATUSES),
  customer: z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    loyaltyTier: z.string(),
  }).nullable(),
  paymentMethod: z.string(),
  channel: z.string(),
  subtotalCents: z.number().int(),
  discountCents: z.number().int(),
  totalCents: z.number().int(),
  itemCount: z.number().int(),
  fraudScore: z.number(),
  fraudDecision: z.enum(["allow", "review", "block"]),
  fraudReasons: z.array(fraudReasonSchema),
  fraudLabel: z.enum(["fraud", "legit"]).nullable(),
  /** made by the traffic simulator (`SIMULATE_TRAFFIC`), not by a customer */
  simulated: z.boolean(),
  labeledBy: z.string().nullable(),
  labeledAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  refundedAt: z.date().nullable(),
  cancelledAt: z.date().nullable(),
  items: z.array(itemSchema),
  history: z.array(statusChangeSchema),
  /** Money given back so far by partial and full refunds. */
  refundedCents: z.number().int(),
  refunds: z.array(refundSchema),
}).extend(storedIdentitySchema.shape);
export type TransactionDetail = z.infer<typeof transactionDetailSchema>;

/** What `create` answers: the transaction, and whether it is the stored result of an earlier attempt. */
export const createdTransactionSchema = transactionDetailSchema.extend({
  replayed: z.boolean().describe("True when an earlier request with the same Idempotency-Key created it"),
});
