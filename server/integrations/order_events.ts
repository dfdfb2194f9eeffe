import { z } from "zod";
import { PAYMENT_METHODS, type PaymentMethod } from "../transactions/schemas.ts";

/** An order as a platform announces it, in our terms; what the feed applies. */
export interface ExternalOrder {
  /** The platform's id of the order: the same order always has the same one. */
  externalId: string;
  /** When the platform last changed the order: a late, older event changes nothing. */
  updatedAt: Date;
  createdAt: Date;
  customer: { email: string; name: string; country: string | null } | null;
  items: { sku: string; quantity: number }[];
  paymentMethod: PaymentMethod;
  channel: "web" | "mobile" | "store" | "phone" | "marketplace";
  /** Where the order stands now: a refund or a cancellation is applied once, whatever event says it. */
  state: "open" | "cancelled" | "refunded";
}

export type OrderTopic = "order.created" | "order.updated" | "order.refunded";

/** A platform's payment gateway name in our terms: card unless it says otherwise. */
export function paymentMethodOf(gateway: string): PaymentMethod {
  const name = gateway.toLowerCase();
  if (name.includes("paypal")) return "paypal";
  if (name.includes("apple")) return "apple_pay";
  if (name.includes("google")) return "google_pay";
  if (name.includes("gift")) return "gift_card";
  if (/bank|bacs|transfer|deposit/.test(name)) return "bank_transfer";
  return "card";
}

const isoTime = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const shopifyLineItem = z.object({
  sku: z.string().nullish(),
  title: z.string().default(""),
  quantity: z.number().int().min(1).max(1000),
});

/** The fields of Shopify's order webhook payload (orders/create, orders/updated) the feed reads. */
const shopifyOrder = z.object({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  created_at: isoTime,
  updated_at: isoTime,
  email: z.string().nullish(),
  financial_status: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  gateway: z.string().nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  source_name: z.string().nullish(),
  customer: z.object({
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  }).nullish(),
  billing_address: z.object({ country_code: z.string().nullish() }).nullish(),
  line_items: z.array(shopifyLineItem).min(1).max(50),
});

/** Shopify's refunds/create payload: the refund names its order. */
const shopifyRefund = z.object({
  order_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  created_at: isoTime,
});

function channelOfShopifySource(source: string): ExternalOrder["channel"] {
  if (source === "pos") return "store";
  if (source === "iphone" || source === "android") return "mobile";
  if (source === "shopify_draft_order") return "phone";
  return "web";
}

/** Reads a Shopify order webhook into an ExternalOrder, or says which field is wrong. */
export function parseShopifyOrder(json: unknown): ExternalOrder | string {
  const parsed = shopifyOrder.safeParse(json);
  if (!parsed.success) return describe(parsed.error);
  const order = parsed.data;
  const missingSku = order.line_items.find((item) => !item.sku);
  if (missingSku) return `line_items: "${missingSku.title}" has no sku, so no product of ours can be matched`;
  const email = (order.customer?.email ?? order.email ?? "").trim().toLowerCase();
  const status = (order.financial_status ?? "").toLowerCase();
  const name = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(" ");
  return {
    externalId: String(order.id),
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    customer: email
      ? { email, name: name || email, country: order.billing_address?.country_code ?? null }
      : null,
    items: mergeLines(order.line_items.map((item) => ({ sku: item.sku!, quantity: item.quantity }))),
    paymentMethod: paymentMethodOf(order.payment_gateway_names?.[0] ?? order.gateway ?? ""),
    channel: channelOfShopifySource(order.source_name ?? "web"),
    state: order.cancelled_at ? "cancelled" : status === "refunded" ? "refunded" : "open",
  };
}

/** Reads Shopify's refunds/create payload: which order was refunded, and when. */
export function parseShopifyRefund(json: unknown): { externalId: string; at: Date } | string {
  const parsed = shopifyRefund.safeParse(json);
  if (!parsed.success) return describe(parsed.error);
  return { externalId: String(parsed.data.order_id), at: parsed.data.created_at };
}

/** Our own feed's body (`POST /api/v1/integrations/orders`), described to admins on Admin › Integrations. */
export const genericOrderEvent = z.object({
  event: z.enum(["order.created", "order.updated", "order.refunded"]),
  orderId: z.string().min(1).max(100),
  createdAt: isoTime,
  updatedAt: isoTime,
  customer: z.object({
    email: z.email(),
    name: z.string().max(200).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code").optional(),
  }).nullable().default(null),
  items: z.array(z.object({
    sku: z.string().min(1).max(100),
    quantity: z.number().int().min(1).max(1000),
  })).min(1).max(50),
  paymentMethod: z.enum(PAYMENT_METHODS).default("card"),
  channel: z.enum(["web", "mobile", "store", "phone", "marketplace"]).default("web"),
  status: z.enum(["open", "cancelled", "refunded"]).default("open"),
});

/** Reads our own feed's event, or says which field is wrong. */
export function parseGenericEvent(json: unknown): { topic: OrderTopic; order: ExternalOrder } | string {
  const parsed = genericOrderEvent.safeParse(json);
  if (!parsed.success) return describe(parsed.error);
  const event = parsed.data;
  return {
    topic: event.event,
    order: {
      externalId: event.orderId,
      createdAt: event.createdAt,
      updatedAt: event.updatedAt,
      customer: event.customer
        ? {
          email: event.customer.email.toLowerCase(),
          name: event.customer.name ?? event.customer.email,
          country: event.customer.country ?? null,
        }
        : null,
      items: mergeLines(event.items),
      paymentMethod: event.paymentMethod,
      channel: event.channel,
      state: event.event === "order.refunded" ? "refunded" : event.status,
    },
  };
}

function mergeLines(lines: { sku: string; quantity: number }[]): { sku: string; quantity: number }[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join(
    "; ",
  );
}
