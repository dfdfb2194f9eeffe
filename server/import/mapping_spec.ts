import { z } from "zod";

/**
 * A mapping as data: how another shop's order export (one row per line item) reads in our terms.
 * The JSON Schema published at docs/mapping.schema.json is generated from these definitions
 * (`deno task import --schema`), so the file and the checks cannot drift apart.
 */

/** A test on one row; `all`/`any`/`not` combine tests. Column tests read the raw text of the cell. */
export interface Condition {
  column?: string;
  /** The cell matches this regular expression (JavaScript syntax). */
  matches?: string;
  /** The cell is exactly one of these. */
  in?: string[];
  /** The cell is empty (after trimming) — or, with false, is not. */
  empty?: boolean;
  /** The cell, read as a number, is below / at most / above / at least this. */
  below?: number;
  atMost?: number;
  above?: number;
  atLeast?: number;
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
}

export const conditionSchema: z.ZodType<Condition> = z.strictObject({
  column: z.string().min(1).optional(),
  matches: z.string().optional(),
  in: z.array(z.string()).optional(),
  empty: z.boolean().optional(),
  below: z.number().optional(),
  atMost: z.number().optional(),
  above: z.number().optional(),
  atLeast: z.number().optional(),
  get all() {
    return z.array(conditionSchema).min(1).optional();
  },
  get any() {
    return z.array(conditionSchema).min(1).optional();
  },
  get not() {
    return conditionSchema.optional();
  },
}).meta({ id: "Condition", description: "A test on one row: a column test, or all/any/not of tests" });

const transform = z.enum(["trim", "upper", "lower", "integer", "abs", "negate"]).meta({
  description: "trim spaces, upper/lower case, integer: drop a decimal part of zeros (17850.0 -> 17850), " +
    "abs: drop a minus sign, negate: flip the sign",
});

/**
 * Where one of our fields comes from: a column, a constant or a template, then transforms, then
 * rules on the row (`cases`), keywords on the value, a value map and a default — in that order.
 */
export const valueSchema = z.strictObject({
  column: z.string().min(1).optional().meta({ description: "read this column" }),
  value: z.string().optional().meta({ description: "a constant" }),
  template: z.string().optional().meta({
    description: 'text with {Column} placeholders, e.g. "OR-{CustomerID}" (transforms apply to the result)',
  }),
  transform: z.array(transform).optional(),
  cases: z.array(z.strictObject({ when: conditionSchema, value: z.string() })).optional().meta({
    description:
      "the first case whose condition holds on the row gives the value (a template: {Column} allowed)",
  }),
  keywords: z.array(z.strictObject({ pattern: z.string(), value: z.string() })).optional().meta({
    description:
      "the first pattern (regular expression, case-insensitive) found in the value gives the value; " +
      'none: the value stays as it is (end with pattern "" to catch the rest)',
  }),
  map: z.record(z.string(), z.string()).optional().meta({
    description: "replace a value by another (exact match, then case-insensitive)",
  }),
  mapOnly: z.boolean().optional().meta({
    description: "reject a row whose value is not a key of `map` (instead of keeping it as it is)",
  }),
  default: z.string().optional().meta({ description: "used when the value is empty" }),
}).meta({ id: "Value", description: "Where one of our fields comes from" });

export type ValueSpec = z.infer<typeof valueSchema>;

const dateSchema = z.strictObject({
  column: z.string().min(1),
  format: z.string().default("iso").meta({
    description: '"iso" (ISO 8601), "unix" (seconds), or a Luxon format such as "yyyy-MM-dd HH:mm:ss ZZZ" ' +
      "(several may be given separated by ||, tried in order)",
  }),
  zone: z.string().default("UTC").meta({
    description: "IANA zone for times written without an offset (a written offset always wins)",
  }),
});

export const mappingSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes"),
  description: z.string(),
  /** Columns the file must have; others are allowed and ignored. */
  columns: z.array(z.string().min(1)).min(1).meta({ description: "columns the file's header must have" }),
  dataset: z.strictObject({
    main: z.string().min(1).meta({
      description: "name of the file with one row per line item, without .csv",
    }),
    join: z.array(z.strictObject({
      as: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a lower-case name such as order"),
      file: z.string().min(1).meta({ description: "name of the joined file, without .csv" }),
      key: z.string().min(1).meta({ description: "the joined file's column that identifies a row" }),
      on: z.string().min(1).meta({
        description: "the column (of the main file, or of an earlier join as name.column) holding that key",
      }),
    })).min(1),
  }).optional().meta({
    description:
      "an export in several files (orders, lines, customers, products) joined by keys: the joined " +
      "files' columns are read as <as>.<column>",
  }),
  target: z.enum(["orders", "products"]).default("orders").meta({
    description: "orders: one row per line item (the default); products: one row per product or variant " +
      "(a catalog export), with price, cost and stock",
  }),
  orderRef: valueSchema.meta({
    description: "the order's reference: rows with the same one are one order " +
      "(for products: the row group, e.g. Shopify's Handle, for fillDown)",
  }),
  fillDown: z.array(z.string()).optional().meta({
    description: "order-level columns that exports leave blank on an order's later rows: " +
      "taken from the order's first row",
  }),
  /** Formats checked before anything else: a bad cell rejects the row with `Column: message, got "x"`. */
  validate: z.array(z.strictObject({
    column: z.string().min(1),
    pattern: z.string(),
    message: z.string(),
  })).optional(),
  reject: z.array(z.strictObject({
    when: conditionSchema,
    reason: z.string().meta({ description: "why, with {Column} placeholders" }),
  })).optional().meta({
    description: "rows to reject, with the reason reported for each (first match wins)",
  }),
  rejectDuplicates: z.boolean().default(false).meta({
    description: "reject a row identical to an earlier one, naming the line it repeats",
  }),
  createdAt: dateSchema.optional().meta({ description: "when the sale happened (orders only)" }),
  customer: z.strictObject({
    code: valueSchema.meta({ description: "the customer's key; empty means the sale has no customer" }),
    name: valueSchema.optional(),
    country: valueSchema.optional(),
  }).optional(),
  product: z.strictObject({
    sku: valueSchema,
    name: valueSchema,
    category: valueSchema.optional(),
    brand: valueSchema.optional(),
  }),
  quantity: valueSchema.optional().meta({ description: "units sold (orders only)" }),
  cost: valueSchema.optional().meta({
    description: "unit cost, in the same unit as the price (products only)",
  }),
  stock: valueSchema.optional().meta({ description: "units in stock (products only; default 0)" }),
  refundedQuantity: valueSchema.optional().meta({
    description: "units of this line refunded: they move to a refund order <orderRef>-R",
  }),
  unitPrice: valueSchema.optional().meta({ description: "price of one unit (or give lineTotal)" }),
  lineTotal: valueSchema.optional().meta({
    description: "price of the whole line, for exports without a unit price: divided by the quantity",
  }),
  priceUnit: z.enum(["major", "minor"]).default("major").meta({
    description: "major: 12.50 means £12.50; minor: 1250 means £12.50",
  }),
  currency: valueSchema.optional().meta({
    description: "ISO 4217 code of the prices (default: the store's)",
  }),
  rates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).optional().meta({
    description: "what one unit of each currency is worth in the store's currency",
  }),
  status: valueSchema.optional().meta({
    description: "pending, completed, declined, blocked, cancelled or refunded (after map; orders only)",
  }),
  paymentMethod: valueSchema.optional(),
  channel: valueSchema.optional(),
  identity: z.object({
    deviceId: valueSchema.optional(),
    ipAddress: valueSchema.optional(),
    email: valueSchema.optional(),
    cardBin: valueSchema.optional(),
    cardLast4: valueSchema.optional(),
    billingCountry: valueSchema.optional(),
    shippingCountry: valueSchema.optional(),
    userAgent: valueSchema.optional(),
  }).strict().optional().meta({
    description: "the sale's identity and context for the fraud screen, each optional and checked as the " +
      "API checks it (orders only)",
  }),
}).refine((spec) => (spec.unitPrice === undefined) !== (spec.lineTotal === undefined), {
  message: "give exactly one of unitPrice and lineTotal",
  path: ["unitPrice"],
}).superRefine((spec, ctx) => {
  if (spec.target !== "orders") return;
  for (const field of ["createdAt", "quantity", "status"] as const) {
    if (spec[field] === undefined) {
      ctx.addIssue({ code: "custom", path: [field], message: "is needed for orders" });
    }
  }
});

export type MappingSpec = z.infer<typeof mappingSpecSchema>;

/** The published JSON Schema of a mapping file. */
export function mappingJsonSchema(): unknown {
  return z.toJSONSchema(mappingSpecSchema, { io: "input" });
}
