import type { Sql, TransactionSql } from "../db/mod.ts";
import { receiveStock, type StockChanged } from "../products/stock.ts";

export type PurchaseOrderStatus =
  | "ordered"
  | "partially_received"
  | "received"
  | "closed_short"
  | "cancelled";

/** One product line of a purchase order. */
export interface PurchaseOrderLine {
  productId: number;
  productName: string;
  sku: string;
  suggestionId: number | null;
  quantity: number;
  /** Units delivered so far; quantity - receivedQuantity is on backorder while the order is open. */
  receivedQuantity: number;
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
                      'suggestionId', l.suggestion_id, 'quantity', l.quantity, 'receivedQuantity', l.received_quantity,
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

/**
 * Records a delivery of `lines` at `receivedAt` (a receipt row), adds the units to the lines' received
 * quantities and to stock, and sets the order's status (received, or partially_received while units are
 * on backorder). The caller has locked the order and planned the receipt (server/inventory/receipts.ts);
 * the lines' check constraint still refuses any unit beyond the ordered quantity.
 */
export async function recordPurchaseOrderReceipt(
  tx: TransactionSql,
  id: number,
  receipt: {
    lines: readonly { productId: number; quantity: number }[];
    status: "received" | "partially_received";
    receivedAt: Date;
    receivedBy: number | null;
  },
): Promise<StockChanged[]> {
  await tx`
    update purchase_orders set status = ${receipt.status}, received_at = ${receipt.receivedAt},
                               received_by = ${receipt.receivedBy}
    where id = ${id}`;
  const [row] = await tx<[{ id: number }]>`
    insert into purchase_order_receipts (purchase_order_id, received_at, received_by)
    values (${id}, ${receipt.receivedAt}, ${receipt.receivedBy}) returning id`;
  for (const line of receipt.lines) {
    await tx`
      insert into purchase_order_receipt_lines (receipt_id, product_id, quantity)
      values (${row.id}, ${line.productId}, ${line.quantity})`;
    await tx`
      update purchase_order_lines set received_quantity = received_quantity + ${line.quantity}
      where purchase_order_id = ${id} and product_id = ${line.productId}`;
  }
  return await receiveStock(tx, receipt.lines, { purchaseOrderId: id });
}
