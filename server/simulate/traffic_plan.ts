/**
 * What the traffic simulator does next, pure: how busy the shop is at an hour of its day, which
 * product a shopper takes and how many, and the odd suspicious order or refund. The runner
 * (traffic.ts) sends the result through the real API.
 * @module
 */
import type { SaleIdentity } from "../fraud/model/identity.ts";
import { CHANNELS } from "../transactions/schemas.ts";

/** Share of the peak rate per store hour (0-23): quiet at night, lunch and evening peaks. */
export const hourlyShape: readonly number[] = [
  0.08,
  0.05,
  0.04,
  0.03,
  0.03,
  0.05,
  0.12,
  0.25,
  0.45,
  0.6,
  0.7,
  0.8,
  1.0,
  0.95,
  0.75,
  0.7,
  0.7,
  0.8,
  0.9,
  1.0,
  0.95,
  0.7,
  0.4,
  0.18,
];

/** How much more often each category sells than an average one (the rest count 1). */
const categoryWeights: Record<string, number> = {
  Accessories: 4,
  Audio: 2.5,
  Phones: 2,
  Laptops: 1.2,
  Tablets: 1.2,
  Wearables: 1.5,
  Gaming: 1.5,
};

const paymentMethods = ["card", "card", "card", "paypal", "apple_pay", "google_pay"] as const;

/** A product the simulator may sell. */
export interface SimProduct {
  id: number;
  category: string;
  priceCents: number;
  stock: number;
}

/** The next move: sell (maybe a suspicious order), refund a recent simulated sale, or nothing. */
export type SimAction =
  | {
    kind: "sale";
    customerId: number;
    items: { productId: number; quantity: number }[];
    paymentMethod: (typeof paymentMethods)[number];
    channel: (typeof CHANNELS)[number];
    suspicious: boolean;
    /** Identity and context as a checkout would send them (the fraud model links sales by them). */
    identity: SimIdentity;
  }
  | { kind: "refund" }
  | { kind: "none" };

/** Chances of the rarer moves, per action. */
export const SUSPICIOUS_SHARE = 0.03;
export const REFUND_SHARE = 0.02;

/** Sales per minute at `hour` of the store day for a peak of `peakPerMinute`. */
export function salesPerMinute(hour: number, peakPerMinute: number): number {
  return peakPerMinute * hourlyShape[((hour % 24) + 24) % 24];
}

/** Milliseconds until the next sale at `perMinute` (a Poisson process), never under 50 ms. */
export function nextDelayMs(random: () => number, perMinute: number): number {
  if (perMinute <= 0) return 60_000;
  return Math.max(50, Math.round((-Math.log(1 - random()) / perMinute) * 60_000));
}

function pickWeighted<T>(
  random: () => number,
  items: readonly T[],
  weight: (item: T) => number,
): T | undefined {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let left = random() * total;
  for (const item of items) {
    left -= weight(item);
    if (left < 0) return item;
  }
  return items.at(-1);
}

/** The identity fields a simulated checkout sends (each as text, as the API takes them). */
export type SimIdentity = { [K in keyof SaleIdentity]?: string };

/** What the shop knows of a customer that a checkout would send again. */
export interface SimCustomer {
  email: string | null;
  country: string | null;
}

const digits = (value: number, length: number) => String(value % 10 ** length).padStart(length, "0");

/**
 * A customer's usual identity, the same every visit: one device and home address online, their email and
 * country, one card. A suspicious order comes from a fresh device and address, ships abroad and uses a card
 * never seen before.
 */
export function simIdentity(
  random: () => number,
  customerId: number,
  sale: { channel: string; paymentMethod: string; suspicious: boolean },
  customer?: SimCustomer,
): SimIdentity {
  const country = customer?.country && /^[A-Z]{2}$/.test(customer.country) ? customer.country : "GB";
  const fresh = () => Math.floor(random() * 1e9);
  const key = sale.suspicious ? fresh() : customerId;
  const online = sale.channel !== "store";
  const card = sale.paymentMethod === "card";
  return {
    ...(customer?.email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(customer.email)
      ? { email: customer.email }
      : {}),
    ...(online
      ? {
        deviceId: `sim-${sale.suspicious ? "x" : "d"}${key}`,
        ipAddress: `${11 + key % 180}.${(key >> 8) & 255}.${key & 255}.${1 + (key >> 16) % 250}`,
        userAgent: "TechMart simulator",
      }
      : {}),
    ...(card ? { cardBin: `4${digits(key * 7919, 5)}`, cardLast4: digits(key * 37, 4) } : {}),
    billingCountry: country,
    shippingCountry: sale.suspicious ? (country === "NG" ? "RO" : "NG") : country,
  };
}

/**
 * Chooses the next move for a shop with `products` (in stock) and `customerIds`. A normal sale is
 * one to three lines, mostly one unit each, cheaper items more likely; a suspicious one is several
 * units of the dearest products in stock (the fraud check decides what it is).
 */
export function planAction(
  random: () => number,
  shop: {
    products: readonly SimProduct[];
    customerIds: readonly number[];
    customers?: ReadonlyMap<number, SimCustomer>;
  },
): SimAction {
  const roll = random();
  if (roll < REFUND_SHARE) return { kind: "refund" };
  const available = shop.products.filter((product) => product.stock > 0);
  if (available.length === 0 || shop.customerIds.length === 0) return { kind: "none" };
  const customerId = shop.customerIds[Math.floor(random() * shop.customerIds.length)];
  const channel = CHANNELS[Math.floor(random() * 3)];
  const paymentMethod = paymentMethods[Math.floor(random() * paymentMethods.length)];
  if (roll < REFUND_SHARE + SUSPICIOUS_SHARE) {
    const dearest = [...available].sort((a, b) => b.priceCents - a.priceCents).slice(0, 5);
    const product = dearest[Math.floor(random() * dearest.length)];
    return {
      kind: "sale",
      customerId,
      items: [{ productId: product.id, quantity: Math.min(product.stock, 3) }],
      paymentMethod,
      channel: "web",
      suspicious: true,
      identity: simIdentity(
        random,
        customerId,
        { channel: "web", paymentMethod, suspicious: true },
        shop.customers?.get(customerId),
      ),
    };
  }
  const lines = 1 + (random() < 0.25 ? 1 : 0) + (random() < 0.08 ? 1 : 0);
  const items = new Map<number, number>();
  for (let i = 0; i < lines; i++) {
    const product = pickWeighted(
      random,
      available,
      (p) => (categoryWeights[p.category] ?? 1) / Math.sqrt(Math.max(1, p.priceCents / 1_000)),
    )!;
    const quantity = random() < 0.85 ? 1 : 2;
    if (!items.has(product.id) && product.stock >= quantity) items.set(product.id, quantity);
  }
  if (items.size === 0) return { kind: "none" };
  return {
    kind: "sale",
    customerId,
    items: [...items].map(([productId, quantity]) => ({ productId, quantity })),
    paymentMethod,
    channel,
    suspicious: false,
    identity: simIdentity(
      random,
      customerId,
      { channel, paymentMethod, suspicious: false },
      shop.customers?.get(customerId),
    ),
  };
}
