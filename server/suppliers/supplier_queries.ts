import type { Sql } from "../db/mod.ts";
import { type CursorKey, keysetClauses } from "../db/keyset.ts";
import { likePattern } from "../products/product_queries.ts";

/** A supplier as lists show it. */
export interface SupplierSummary {
  id: number;
  code: string;
  name: string;
  email: string | null;
  country: string | null;
  /** catalog on-time rate, 0..1 */
  reliability: number;
  isActive: boolean;
  productCount: number;
}

/** A product a supplier offers, with the offer's terms. */
export interface SupplierOffer {
  productId: number;
  sku: string;
  name: string;
  category: string;
  unitCostCents: number;
  leadTimeDays: number;
  minOrderQty: number;
  reliability: number | null;
}

export interface SupplierDetail extends SupplierSummary {
  createdAt: Date;
  offers: SupplierOffer[];
}

export const supplierSorts = ["name", "reliability", "id"] as const;
export type SupplierSort = (typeof supplierSorts)[number];

export interface SupplierListFilter {
  search?: string;
  status: "active" | "inactive" | "all";
  sort: SupplierSort;
  order: "asc" | "desc";
  after?: CursorKey;
  limit: number;
}

/** Reads the sort key a row carries in a cursor. */
export function supplierCursorKey(supplier: SupplierSummary, sort: SupplierSort): CursorKey {
  const value = sort === "name" ? supplier.name : sort === "reliability" ? supplier.reliability : supplier.id;
  return [value, supplier.id];
}

const sortColumns: Record<SupplierSort, string> = { name: "name", reliability: "reliability", id: "id" };

function summaryColumns(sql: Sql) {
  return sql`
    s.id, s.code, s.name, s.email, s.country, s.reliability, s.is_active as "isActive",
    (select count(*)::int from product_suppliers ps where ps.supplier_id = s.id) as "productCount"`;
}

/** One page of suppliers (`limit + 1` rows: the extra one says there is a next page). */
export function listSuppliers(sql: Sql, filter: SupplierListFilter): Promise<SupplierSummary[]> {
  const keyset = keysetClauses(sql, {
    column: `s.${sortColumns[filter.sort]}`,
    id: "s.id",
    order: filter.order,
    after: filter.after,
  });
  const pattern = filter.search ? likePattern(filter.search) : undefined;
  return sql<SupplierSummary[]>`
    select ${summaryColumns(sql)}
    from suppliers s
    where true
      ${pattern ? sql`and (lower(s.name) like ${pattern} or lower(s.code) like ${pattern})` : sql``}
      ${filter.status === "all" ? sql`` : sql`and s.is_active = ${filter.status === "active"}`}
      ${keyset.where}
    order by ${keyset.orderBy}
    limit ${filter.limit + 1}`;
}

/** A supplier with every product it offers, or undefined when there is none with that id. */
export async function findSupplier(sql: Sql, id: number): Promise<SupplierDetail | undefined> {
  const [supplier] = await sql<[Omit<SupplierDetail, "offers">?]>`
    select ${summaryColumns(sql)}, s.created_at as "createdAt"
    from suppliers s
    where s.id = ${id}`;
  if (!supplier) return undefined;
  const offers = await sql<SupplierOffer[]>`
    select p.id as "productId", p.sku, p.name, p.category, ps.unit_cost_cents as "unitCostCents",
      ps.lead_time_days as "leadTimeDays", ps.min_order_qty as "minOrderQty", ps.reliability
    from product_suppliers ps
    join products p on p.id = ps.product_id
    where ps.supplier_id = ${id}
    order by p.name, p.id`;
  return { ...supplier, offers };
}
