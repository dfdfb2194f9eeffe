import { IDENTITY_CSV_COLUMNS } from "../fraud/model/identity_schema.ts";
import { z } from "zod";

/** Our own CSV files, in the order a directory import applies them (each depends on those before). */
export const nativeKinds = [
  "suppliers",
  "products",
  "product_suppliers",
  "customers",
  "transactions",
] as const;
export type NativeKind = typeof nativeKinds[number];

const required = z.string().min(1, "is empty");
const optional = z.string().transform((value) => value === "" ? null : value);

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.string()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

function fraction(min: number, max: number, { exclusive = false } = {}) {
  return z.string()
    .regex(/^\d*\.?\d+$/, "must be a decimal number")
    .transform(Number)
    .pipe(
      exclusive
        ? z.number().gt(min, `must be above ${min}`).lt(max, `must be below ${max}`)
        : z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
    );
}

const instant = z.string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/,
    "must be an ISO 8601 time with a zone",
  )
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()), "is not a real date");

// A union would replace the inner schema's message with a generic "Invalid input"
function blankOr<T extends z.ZodType<unknown, string>>(schema: T) {
  return z.string().transform((value, ctx): z.output<T> | null => {
    if (value === "") return null;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    ctx.addIssue({ code: "custom", message: result.error.issues[0].message });
    return z.NEVER;
  });
}

export const supplierRow = z.object({
  code: required,
  name: required,
  email: optional,
  country: optional,
  reliability: fraction(0, 1),
});

export const productRow = z.object({
  sku: required,
  name: required,
  category: required,
  brand: optional,
  price_cents: wholeNumber(0),
  cost_cents: blankOr(wholeNumber(0)),
  stock_quantity: wholeNumber(0, 2_147_483_647),
  reorder_point: blankOr(wholeNumber(0, 2_147_483_647)),
  service_level: fraction(0, 1, { exclusive: true }),
  target_days_of_cover: wholeNumber(1, 365),
});

export const productSupplierRow = z.object({
  sku: required,
  supplier_code: required,
  unit_cost_cents: wholeNumber(0),
  lead_time_days: wholeNumber(0, 365),
  min_order_qty: wholeNumber(1, 2_147_483_647),
  reliability: blankOr(fraction(0, 1)),
});

export const customerRow = z.object({
  code: required,
  name: required,
  email: optional,
  country: optional,
  loyalty_tier: z.enum(["bronze", "silver", "gold", "platinum"], "must be bronze, silver, gold or platinum"),
  created_at: instant,
});

export const transactionLineRow = z.object({
  order_ref: required,
  created_at: instant,
  customer_code: optional,
  sku: required,
  quantity: wholeNumber(1, 2_147_483_647),
  unit_price_cents: wholeNumber(0),
  payment_method: z.enum(
    ["card", "paypal", "apple_pay", "google_pay", "bank_transfer", "gift_card"],
    "must be card, paypal, apple_pay, google_pay, bank_transfer or gift_card",
  ),
  channel: z.enum(
    ["web", "mobile", "store", "phone", "marketplace"],
    "must be web, mobile, store, phone or marketplace",
  ),
  status: z.enum(
    ["pending", "completed", "declined", "blocked", "cancelled", "refunded"],
    "must be pending, completed, declined, blocked, cancelled or refunded",
  ),
});

export type SupplierRow = z.infer<typeof supplierRow>;
export type ProductRow = z.infer<typeof productRow>;
export type ProductSupplierRow = z.infer<typeof productSupplierRow>;
export type CustomerRow = z.infer<typeof customerRow>;
export type TransactionLineRow = z.infer<typeof transactionLineRow>;

/** Each native file: its row schema and the column that identifies a row (for duplicate checks). */
export const nativeFormats = {
  suppliers: { schema: supplierRow, keyName: "code", key: (row: SupplierRow) => row.code },
  products: { schema: productRow, keyName: "sku", key: (row: ProductRow) => row.sku },
  product_suppliers: {
    schema: productSupplierRow,
    keyName: "offer",
    key: (row: ProductSupplierRow) => `${row.sku} / ${row.supplier_code}`,
  },
  customers: { schema: customerRow, keyName: "code", key: (row: CustomerRow) => row.code },
  // Several lines share an order_ref: the order collector checks those instead
  transactions: { schema: transactionLineRow, keyName: "order_ref", key: null },
} as const;

/** The header each native file must have. */
export function nativeColumns(kind: NativeKind): string[] {
  return Object.keys(nativeFormats[kind].schema.shape);
}

/**
 * Columns a native file may add to its required ones (docs/import.md): a sale's identity and context, and
 * its known outcome (`fraud_label`: fraud or legit, from chargebacks or an earlier screen's reviews).
 */
export function nativeOptionalColumns(kind: NativeKind): string[] {
  return kind === "transactions" ? [...Object.keys(IDENTITY_CSV_COLUMNS), "fraud_label"] : [];
}

/** Whether a header is that of a native file of `kind`: every required column, and only known optional ones. */
export function isNativeHeader(kind: NativeKind, header: readonly string[]): boolean {
  const required = nativeColumns(kind);
  const optional = nativeOptionalColumns(kind);
  return required.every((column) => header.includes(column)) &&
    header.every((column) => required.includes(column) || optional.includes(column));
}

/** Turns a zod failure into one readable reason: `price_cents: must be a whole number, got "12.5"`. */
export function describeIssue(error: z.ZodError, fields: Record<string, string>): string {
  const issue = error.issues[0];
  const column = String(issue.path[0] ?? "");
  if (!column) return issue.message;
  return `${column}: ${issue.message}, got "${fields[column] ?? ""}"`;
}
