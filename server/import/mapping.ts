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
}

/** Reads one row of a foreign export (fields by column name) into a MappedRow, or a reason to reject it. */
export type RowMapper = (fields: Record<string, string>, line: number) => MappedRow | string;

/** How to read one kind of foreign export (`--mapping NAME`). */
export interface Mapping {
  name: string;
  description: string;
  /** The export's header. */
  columns: readonly string[];
  /** A fresh mapper per file: mappers may remember rows (to spot duplicates). */
  createMapper(): RowMapper;
}
