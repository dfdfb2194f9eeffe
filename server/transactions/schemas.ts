import { z } from "zod";
import { cursorInput, limitInput, pageSchema } from "../http/keyset.ts";
import { TRANSACTION_STATUSES } from "./lifecycle.ts";

/** A database id as it arrives in a path, a query string or a body. */
const idSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const quantitySchema = z.number().int().min(1).max(1000);
const centsSchema = z.number().int().min(0).max(100_000_000_000);

/** Sales channels the shop sells through. */
export const CHANNELS = ["web", "mobile", "store", "phone", "marketplace"] as const;

/** `card`, `paypal`, `apple_pay`, ...: a lower-case slug, so free text never reaches reports. */
const paymentMethodSchema = z.string().regex(
  /^[a-z][a-z0-9_]{1,31}$/,
  "Use a lower-case payment method such as card, paypal or apple_pay",
);

/** An Idempotency-Key: printable ASCII, like the header it usually comes from. */
export const idempotencyKeySchema = z.string().min(8).max(200).regex(
  /^[\x21-\x7e]+$/,
  "Use 8 to 200 printable ASCII characters without spaces",
);

const itemInputSchema = z.object({ productId: idSchema, quantity: quantitySchema });

/** An order to create, after normalising either accepted body form. */
export interface NewTransaction {
  customerId: number;
  /** One line per product, in the order first given; repeated products are merged. */
  items: { productId: number; quantity: number }[];
  paymentMethod: string;
  channel: (typeof CHANNELS)[number];
  idempotencyKey?: string;
}

/**
 * Body of `POST /transactions`: `{customerId, items: [{productId, quantity}], paymentMethod, channel?}`, or
 * the reference's single-product form `{customerId, productId, quantity, paymentMethod}`. Both normalise to
 * `NewTransaction`.
 */
export const createTransactionInput = z.object({
  customerId: idSchema,
  items: z.array(itemInputSchema).min(1).max(50).optional()
    .describe("The order lines; or give productId and quantity for a one-product order"),
  productId: idSchema.optional().describe("Single-product form: the product (instead of items)"),
  quantity: quantitySchema.optional().describe("Single-product form: how many (default 1)"),
  paymentMethod: paymentMethodSchema,
  channel: z.enum(CHANNELS).default("web"),
  idempotencyKey: idempotencyKeySchema.optional()
    .describe("Makes a retry return the first result; the Idempotency-Key header does the same"),
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
  customerId: idSchema.optional(),
  productId: idSchema.optional().describe("Only transactions with a line of this product"),
  category: z.string().min(1).max(64).optional().describe("Only transactions with a line in this category"),
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

export const transactionIdInput = z.object({ id: idSchema });

/** Refund or cancel: why, for the record. */
export const lifecycleInput = z.object({
  id: idSchema,
  reason: z.string().trim().max(500).default(""),
});

export const labelInput = z.object({
  id: idSchema,
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
  labeledBy: z.string().nullable(),
  labeledAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  refundedAt: z.date().nullable(),
  cancelledAt: z.date().nullable(),
  items: z.array(itemSchema),
  history: z.array(statusChangeSchema),
});
export type TransactionDetail = z.infer<typeof transactionDetailSchema>;

/** What `create` answers: the transaction, and whether it is the stored result of an earlier attempt. */
export const createdTransactionSchema = transactionDetailSchema.extend({
  replayed: z.boolean().describe("True when an earlier request with the same Idempotency-Key created it"),
});
