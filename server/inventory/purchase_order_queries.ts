import type { Sql, TransactionSql } from "../db/mod.ts";

export type PurchaseOrderStatus = "ordered" | "received" | "cancelled";

/** One product line of a purchase order. */
export interface PurchaseOrderLine {
  productId: number;
  productName: string;
  sku: string;
  suggestionId: number | null;
  quantity: number;
  unitCostCents: number;
  lineTotalCents: number;
}

/** A purchase order with its lines. */
export interface PurchaseOrder {
  id: number;
  supplierId: number;
  supplierName: string;
  status: PurchaseOrderStatus;
  totalCents: number;
  orderedAt: Date;
  expectedAt: Date;
  receivedAt: Date | null;
  /** Null until received; then whether it came by the expected date. */
  onTime: boolean | null;
  orderedBy: number | null;
  lines: PurchaseOrderLine[];
}

/** A line to order. */
export interface NewPurchaseOrderLine {
  productId: number;
  suggestionId: number | null;
  quantity: number;
  unitCostCents: number;
  leadTimeDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Creates an order of several product lines from one supplier, expected after the longest lead time
 * of its lines. Returns its id.
 */
export async function insertPurchaseOrder(
  tx: TransactionSql,
  order: { supplierId: number; lines: readonly NewPurchaseOrderLine[]; orderedBy: number | null; now: Date },
): Promise<number> {
  const leadTime = Math.max(0, ...order.lines.map((line) => line.leadTimeDays));
  const total = order.lines.reduce((sum, line) => sum + line.quantity * line.unitCostCents, 0);
  const [row] = await tx<[{ id: number }]>`
    insert into purchase_orders (supplier_id, status, total_cents, ordered_at, expected_at, ordered_by)
    values (${order.supplierId}, 'ordered', ${total}, ${order.now},
            ${new Date(order.now.getTime() + leadTime * DAY_MS)}, ${order.orderedBy})
    returning id`;
  for (const line of order.lines) {
    await tx`
      insert into purchase_order_lines (purchase_order_id, product_id, suggestion_id, quantity, unit_cost_cents)
      values (${row.id}, ${line.productId}, ${line.suggestionId}, ${line.quantity}, ${line.unitCostCents})`;
  }
  return row.id;
}

function selectPurchaseOrders(sql: Sql | TransactionSql) {
  return sql`
    select o.id, o.supplier_id as "supplierId", s.name as "supplierName", o.status, o.total_cents as "totalCents",
           o.ordered_at as "orderedAt", o.expected_at as "expectedAt", o.received_at as "receivedAt",
           case when o.received_at is null then null else o.received_at <= o.expected_at end as "onTime",
           o.ordered_by as "orderedBy",
           coalesce((
             select json_agg(json_build_object(
                      'productId', l.product_id, 'productName', p.name, 'sku', p.sku,
                      'suggestionId', l.suggestion_id, 'quantity', l.quantity,
                      'unitCostCents', l.unit_cost_cents, 'lineTotalCents', l.line_total_cents
                    ) order by l.id)
             from purchase_order_lines l join products p on p.id = l.product_id
             where l.purchase_order_id = o.id
           ), '[]'::json) as lines
    from purchase_orders o
    join suppliers s on s.id = o.supplier_id`;
}

/** Purchase orders newest first, optionally of one status or supplier; `beforeId` continues a page. */
export async function listPurchaseOrders(
  sql: Sql,
  filter: { status?: PurchaseOrderStatus; supplierId?: number; beforeId?: number; limit: number },
): Promise<PurchaseOrder[]> {
  return await sql<PurchaseOrder[]>`
    ${selectPurchaseOrders(sql)}
    where true
      ${filter.status ? sql`and o.status = ${filter.status}` : sql``}
      ${filter.supplierId ? sql`and o.supplier_id = ${filter.supplierId}` : sql``}
      ${filter.beforeId ? sql`and o.id < ${filter.beforeId}` : sql``}
    order by o.id desc
    limit ${filter.limit}`;
}

/** One purchase order, or undefined; `forUpdate` locks it until the transaction ends. */
export async function findPurchaseOrder(
  sql: Sql | TransactionSql,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<PurchaseOrder | undefined> {
  const [row] = await sql<[PurchaseOrder?]>`
    ${selectPurchaseOrders(sql)}
    where o.id = ${id}
    ${options.forUpdate ? sql`for update of o` : sql``}`;
  return row;
}

/** A product's stock before and after a delivery. */
export interface StockChange {
  productId: number;
  stockQuantity: number;
  previousQuantity: number;
}

/**
 * Marks an ordered purchase order received at `receivedAt` and adds its lines to stock. The caller
 * has locked the order and checked that it is still ordered.
 */
export async function markPurchaseOrderReceived(
  tx: TransactionSql,
  id: number,
  receivedAt: Date,
  receivedBy: number | null,
): Promise<StockChange[]> {
  await tx`
    update purchase_orders set status = 'received', received_at = ${receivedAt}, received_by = ${receivedBy}
    where id = ${id}`;
  // Lock the products in id order first, so a delivery and a sale touching the same products cannot deadlock
  await tx`
    select p.id from products p
    where p.id in (select product_id from purchase_order_lines where purchase_order_id = ${id})
    order by p.id
    for update`;
  return await tx<StockChange[]>`
    update products p
    set stock_quantity = p.stock_quantity + l.quantity, updated_at = now()
    from (select product_id, quantity from purchase_order_lines where purchase_order_id = ${id}) l
    where p.id = l.product_id
    returning p.id as "productId", p.stock_quantity as "stockQuantity",
              p.stock_quantity - l.quantity as "previousQuantity"`;
}
