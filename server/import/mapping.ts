import type { SaleIdentity } from "../fraud/model/identity.ts";
/** A line of another shop's export, turned into our terms by a mapping. */
export interface MappedRow {
  orderRef: string;
  createdAt: Date;
  /** null: the export does not say who bought (allowed: customer_id is nullable). */
  customer: { code: string; name: string; country: string | null } | null;
  product: { sku: string; name: string; category: string; brand: string | null };
  quantity: number;
  unitPriceCents: number;
  paymentMethod: string;
  channel: string;
  status: string;
  /** The price as the export wrote it, when it was in another currency than the store's. */
  original?: { currency: string; unitPriceMinor: number };
  /** The sale's identity and context (device, IP, email, card, countries), validated. */
  identity?: SaleIdentity;
}

/**
 * Reads one row of a foreign export (fields by column name) into a MappedRow (two when a line was
 * partly refunded: the kept units and the refund), or a reason to reject it.
 */
export type RowMapper = (
  fields: Record<string, string>,
  line: number,
) => MappedRow | MappedRow[] | MappedProduct | string;

/** A row of a catalog export (a mapping with target "products"), in our terms. */
export interface MappedProduct {
  kind: "product";
  sku: string;
  name: string;
  category: string;
  brand: string | null;
  priceCents: number;
  costCents: number | null;
  stockQuantity: number;
}

/** How to read one kind of foreign export (`--mapping NAME`). */
export interface Mapping {
  name: string;
  description: string;
  /** The export's header (with allowExtraColumns: the columns it must have at least). */
  columns: readonly string[];
  allowExtraColumns?: boolean;
  /** orders (the default): one row per line item; products: a catalog export. */
  target?: "orders" | "products";
  /** For an export in several files: which file holds the line items, and which are joined to it. */
  dataset?: { main: string; joins: readonly Join[] };
  /** A fresh mapper per file: mappers may remember rows (to spot duplicates). `lookups`: joined files' rows. */
  createMapper(lookups?: Lookups): RowMapper;
}

/** One joined file: its rows are found by `key`, from the value of column `on` of the row being read. */
export interface Join {
  as: string;
  file: string;
  key: string;
  on: string;
}

/** Each joined file's rows by key, by the join's name. */
export type Lookups = ReadonlyMap<string, ReadonlyMap<string, Record<string, string>>>;
