import type { Sql, TransactionSql } from "../db/mod.ts";
import { type CursorKey, keysetClauses } from "../db/keyset.ts";

/** The editable fields of a product: what the editor changes and the importer writes. */
export interface ProductEditable {
  name: string;
  category: string;
  brand: string | null;
  priceCents: number;
  costCents: number | null;
  stockQuantity: number;
  reorderPoint: number | null;
  serviceLevel: number;
  targetDaysOfCover: number;
  isActive: boolean;
}

/** A product as lists show it. */
export interface ProductSummary extends ProductEditable {
  id: number;
  sku: string;
  supplierCount: number;
  updatedAt: Date;
}

/** One supplier's terms for a product. */
export interface ProductSupplierTerms {
  supplierId: number;
  code: string;
  name: string;
  unitCostCents: number;
  leadTimeDays: number;
  minOrderQty: number;
  /** the offer's on-time rate, or the supplier's when the offer has none */
  reliability: number;
  isActive: boolean;
}

export interface ProductDetail extends ProductSummary {
  createdAt: Date;
  suppliers: ProductSupplierTerms[];
}

/** Sortable columns of the product list. */
export const productSorts = ["name", "price", "stock", "id"] as const;
export type ProductSort = (typeof productSorts)[number];

const sortColumns: Record<ProductSort, string> = {
  name: "name",
  price: "price_cents",
  stock: "stock_quantity",
  id: "id",
};

export interface ProductListFilter {
  search?: string;
  category?: string;
  status: "active" | "inactive" | "all";
  sort: ProductSort;
  order: "asc" | "desc";
  /** the key of the last row of the previous page */
  after?: CursorKey;
  limit: number;
}

/** Reads the sort key a row carries in a cursor. */
export function productCursorKey(product: ProductSummary, sort: ProductSort): CursorKey {
  const value = sort === "name"
    ? product.name
    : sort === "price"
    ? product.priceCents
    : sort === "stock"
    ? product.stockQuantity
    : product.id;
  return [value, product.id];
}

/** Escapes `%`, `_` and `\` so a search term matches literally inside LIKE. */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** One page of products (`limit + 1` rows: the extra one says there is a next page). */
export function listProducts(sql: Sql, filter: ProductListFilter): Promise<ProductSummary[]> {
  const keyset = keysetClauses(sql, {
    column: `p.${sortColumns[filter.sort]}`,
    id: "p.id",
    order: filter.order,
    after: filter.after,
  });
  const pattern = filter.search ? likePattern(filter.search) : undefined;
  return sql<ProductSummary[]>`
    select ${summaryColumns(sql)}
    from products p
    where true
      ${
    pattern
      ? sql`and (lower(p.name) like ${pattern} or lower(p.sku) like ${pattern} or lower(coalesce(p.brand, '')) like ${pattern})`
      : sql``
  }
      ${filter.category ? sql`and p.category = ${filter.category}` : sql``}
      ${filter.status === "all" ? sql`` : sql`and p.is_active = ${filter.status === "active"}`}
      ${keyset.where}
    order by ${keyset.orderBy}
    limit ${filter.limit + 1}`;
}

function summaryColumns(sql: Sql) {
  return sql`
    p.id, p.sku, p.name, p.category, p.brand, p.price_cents as "priceCents", p.cost_cents as "costCents",
    p.stock_quantity as "stockQuantity", p.reorder_point as "reorderPoint", p.service_level as "serviceLevel",
    p.target_days_of_cover as "targetDaysOfCover", p.is_active as "isActive", p.updated_at as "updatedAt",
    (select count(*)::int from product_suppliers ps where ps.product_id = p.id) as "supplierCount"`;
}

/** A product with every supplier's terms, or undefined when there is none with that id. */
export async function findProduct(sql: Sql | TransactionSql, id: number): Promise<ProductDetail | undefined> {
  const [product] = await sql<[Omit<ProductDetail, "suppliers">?]>`
    select ${summaryColumns(sql as Sql)}, p.created_at as "createdAt"
    from products p
    where p.id = ${id}`;
  if (!product) return undefined;
  const suppliers = (await listProductOffers(sql, [id])).map(({ productId: _, ...terms }) => terms);
  return { ...product, suppliers };
}

/** One supplier's terms for a product, with the product they are for. */
export interface ProductOffer extends ProductSupplierTerms {
  productId: number;
}

/**
 * The offers of several products in one statement: grouped by product, each product's cheapest first
 * (the order `findProduct` gives its suppliers, since it reads them here). An unknown id has none.
 */
export function listProductOffers(sql: Sql | TransactionSql, productIds: number[]): Promise<ProductOffer[]> {
  if (productIds.length === 0) return Promise.resolve([]);
  return sql<ProductOffer[]>`
    select ps.product_id as "productId", s.id as "supplierId", s.code, s.name,
      ps.unit_cost_cents as "unitCostCents", ps.lead_time_days as "leadTimeDays",
      ps.min_order_qty as "minOrderQty", coalesce(ps.reliability, s.reliability) as reliability,
      s.is_active as "isActive"
    from product_suppliers ps
    join suppliers s on s.id = ps.supplier_id
    where ps.product_id in ${(sql as Sql)(productIds)}
    order by ps.product_id, ps.unit_cost_cents, s.id`;
}

/** The catalog's categories with how many active products each has. */
export function listCategories(sql: Sql): Promise<{ category: string; productCount: number }[]> {
  return sql<{ category: string; productCount: number }[]>`
    select category, count(*) filter (where is_active)::int as "productCount"
    from products
    group by category
    order by category`;
}

/** A supplier's terms as a write gives them. */
export interface SupplierTermsInput {
  supplierId: number;
  unitCostCents: number;
  leadTimeDays: number;
  minOrderQty: number;
  reliability?: number | null;
}

export interface NewProduct {
  sku: string;
  name: string;
  category: string;
  brand?: string | null;
  priceCents: number;
  costCents?: number | null;
  stockQuantity: number;
  reorderPoint?: number | null;
  serviceLevel?: number;
  targetDaysOfCover?: number;
}

/** Inserts a product; returns its id, or undefined when the SKU is taken. */
export async function insertProduct(tx: TransactionSql, product: NewProduct): Promise<number | undefined> {
  const [row] = await tx<[{ id: number }?]>`
    insert into products (sku, name, category, brand, price_cents, cost_cents, stock_quantity, reorder_point,
      service_level, target_days_of_cover)
    values (${product.sku}, ${product.name}, ${product.category}, ${
    product.brand ?? null
  }, ${product.priceCents},
      ${product.costCents ?? null}, ${product.stockQuantity}, ${product.reorderPoint ?? null},
      ${product.serviceLevel ?? 0.95}, ${product.targetDaysOfCover ?? 30})
    on conflict (sku) do nothing
    returning id`;
  return row?.id;
}

/** The ids among `ids` that are not suppliers. */
export async function missingSupplierIds(tx: TransactionSql, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = await tx<{ id: number }[]>`select id from suppliers where id in ${tx(ids)}`;
  const known = new Set(found.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** Makes `terms` the product's whole supplier list: offers not in it are removed. */
export async function replaceProductSuppliers(
  tx: TransactionSql,
  productId: number,
  terms: SupplierTermsInput[],
): Promise<void> {
  await tx`delete from product_suppliers where product_id = ${productId}`;
  if (terms.length === 0) return;
  const rows = terms.map((term) => ({
    product_id: productId,
    supplier_id: term.supplierId,
    unit_cost_cents: term.unitCostCents,
    lead_time_days: term.leadTimeDays,
    min_order_qty: term.minOrderQty,
    reliability: term.reliability ?? null,
  }));
  await tx`insert into product_suppliers ${
    tx(rows, "product_id", "supplier_id", "unit_cost_cents", "lead_time_days", "min_order_qty", "reliability")
  }`;
}

/**
 * Locks the product row for an update and reads its editable fields. The editable fields hold no key
 * (id and sku are never edited), so the lock is FOR NO KEY UPDATE: it queues with sales taking stock,
 * but not with their foreign key checks on the product, which FOR UPDATE would hold up for the whole edit.
 */
export async function lockProduct(tx: TransactionSql, id: number): Promise<ProductEditable | undefined> {
  const [row] = await tx<[ProductEditable?]>`
    select name, category, brand, price_cents as "priceCents", cost_cents as "costCents",
      stock_quantity as "stockQuantity", reorder_point as "reorderPoint", service_level as "serviceLevel",
      target_days_of_cover as "targetDaysOfCover", is_active as "isActive"
    from products
    where id = ${id}
    for no key update`;
  return row;
}

const editableColumns: Record<keyof ProductEditable, string> = {
  name: "name",
  category: "category",
  brand: "brand",
  priceCents: "price_cents",
  costCents: "cost_cents",
  stockQuantity: "stock_quantity",
  reorderPoint: "reorder_point",
  serviceLevel: "service_level",
  targetDaysOfCover: "target_days_of_cover",
  isActive: "is_active",
};

/** Writes the given fields of a locked product and bumps `updated_at`. */
export async function updateProductFields(
  tx: TransactionSql,
  id: number,
  changes: Partial<ProductEditable>,
): Promise<void> {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as [
    keyof ProductEditable,
    unknown,
  ][];
  if (entries.length === 0) return;
  const row = Object.fromEntries(entries.map(([field, value]) => [editableColumns[field], value]));
  await tx`update products set ${tx(row as Record<string, never>)}, updated_at = now() where id = ${id}`;
}
