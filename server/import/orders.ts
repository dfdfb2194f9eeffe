import type { SaleIdentity } from "../fraud/model/identity.ts";

/** One line item read from a file, before it is grouped into its order. */
export interface OrderLineInput {
  line: number;
  orderRef: string;
  createdAt: Date;
  customerCode: string | null;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  paymentMethod: string;
  channel: string;
  status: string;
  /** The export's own currency, when it was not the store's (prices then hold the converted amount). */
  originalCurrency?: string | null;
  originalUnitPriceMinor?: number;
  /** The second half of a line split in two (a partial refund): the line is counted once. */
  secondary?: boolean;
  /** Identity and context of the sale (device, IP, email, card, countries), validated; absent when not given. */
  identity?: SaleIdentity;
  /** The sale's known outcome, when the file gives it. */
  fraudLabel?: "fraud" | "legit";
}

export interface OrderItem {
  line: number;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  originalUnitPriceMinor?: number;
  secondary?: boolean;
}

/** An order assembled from its lines; its time is that of its earliest line. */
export interface Order {
  orderRef: string;
  createdAt: Date;
  customerCode: string | null;
  paymentMethod: string;
  channel: string;
  status: string;
  originalCurrency?: string | null;
  /** The first identity any of its lines gave (exports write order-level fields on one line or on all). */
  identity?: SaleIdentity;
  fraudLabel?: "fraud" | "legit";
  items: OrderItem[];
}

const orderFields = ["customerCode", "paymentMethod", "channel", "status", "originalCurrency"] as const;
const columnNames = {
  customerCode: "customer",
  paymentMethod: "payment_method",
  channel: "channel",
  status: "status",
  originalCurrency: "currency",
} as const;

/**
 * Adds a line to its order in `orders` (lines of one order need not be adjacent).
 * @returns null, or why the line was rejected: it disagrees with the order's earlier lines
 */
export function addOrderLine(orders: Map<string, Order>, input: OrderLineInput): string | null {
  const item: OrderItem = {
    line: input.line,
    sku: input.sku,
    quantity: input.quantity,
    unitPriceCents: input.unitPriceCents,
  };
  if (input.originalUnitPriceMinor !== undefined) item.originalUnitPriceMinor = input.originalUnitPriceMinor;
  if (input.secondary) item.secondary = true;
  const order = orders.get(input.orderRef);
  if (!order) {
    orders.set(input.orderRef, {
      orderRef: input.orderRef,
      createdAt: input.createdAt,
      customerCode: input.customerCode,
      paymentMethod: input.paymentMethod,
      channel: input.channel,
      status: input.status,
      ...(input.originalCurrency ? { originalCurrency: input.originalCurrency } : {}),
      ...(input.identity ? { identity: input.identity } : {}),
      ...(input.fraudLabel ? { fraudLabel: input.fraudLabel } : {}),
      items: [item],
    });
    return null;
  }
  for (const field of orderFields) {
    if ((order[field] ?? null) !== (input[field] ?? null)) {
      return `Order "${input.orderRef}" has ${columnNames[field]} "${order[field] ?? ""}" on line ${
        order.items[0].line
      }, this line says "${input[field] ?? ""}"`;
    }
  }
  // Exports stamp lines one by one, so an order may straddle a minute; the order began with its first line
  if (input.createdAt < order.createdAt) order.createdAt = input.createdAt;
  if (!order.identity && input.identity) order.identity = input.identity;
  if (!order.fraudLabel && input.fraudLabel) order.fraudLabel = input.fraudLabel;
  order.items.push(item);
  return null;
}

/** Money and units of an order, in cents: no discount is known for imported history. */
export function orderTotals(items: readonly Pick<OrderItem, "quantity" | "unitPriceCents">[]) {
  let subtotalCents = 0;
  let itemCount = 0;
  for (const item of items) {
    subtotalCents += item.quantity * item.unitPriceCents;
    itemCount += item.quantity;
  }
  return { subtotalCents, discountCents: 0, totalCents: subtotalCents, itemCount };
}

/** The latest order time, or null when there are no orders. */
export function newestOrderTime(orders: Iterable<Order>): Date | null {
  let newest: Date | null = null;
  for (const order of orders) if (!newest || order.createdAt > newest) newest = order.createdAt;
  return newest;
}
