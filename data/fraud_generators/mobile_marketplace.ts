/**
 * Generator G (session 10, independent of A-F): a mobile-first general marketplace in India, amounts in paise
 * (rupee prices, so about 80 times the US-cent figures of A-C), about 9% of orders fraud. Written from these
 * assumptions about the shop and its fraud, not from the model's features:
 *
 * - most customers shop from a phone on a mobile carrier, whose carrier-grade NAT gives thousands of honest
 *   customers the same few hundred addresses (a new one per session); a quarter are on home broadband;
 * - families share a phone between two or three accounts; people change phones now and then;
 * - most new customers install the app and buy within minutes; many sign up with a phone number only (no
 *   email); cash on delivery and UPI (no card) are the common ways to pay, cards a minority;
 * - customers abroad (NRIs) are billed in their country and ship to family in India;
 * - a five-day festival sale brings three times the traffic, a wave of sign-ups, and an evening flash deal
 *   where hundreds of honest buyers take the same phone within minutes of the opening;
 * - fraud: **promotion abuse** from device farms (dozens of fresh accounts a day, each taking the new-user
 *   coupon on a cheap first order, email aliases, the farm's SIMs on the same carrier, a couple of cards or
 *   cash on delivery); **refund abuse** (months-old accounts run by one person on one phone, ordering
 *   expensive goods and claiming they never came); **scalper bots** at the flash deals (accounts made days
 *   before, the maximum quantity seconds after the opening, from a few hosting addresses); **SIM-swap
 *   account takeover** (a new phone on the owner's carrier, a new card, gold coins and gift cards, at night);
 *   and **friendly fraud** (an ordinary customer's ordinary card order, disputed later: no signal at all).
 */
import { createRandom } from "../random.ts";
import type { FraudStreamRow } from "../fraud_stream.ts";
import {
  type Account,
  DAY,
  HOUR,
  MINUTE,
  type OrderIdentity,
  orderWriter,
  type PricedCategory,
  priceIn,
  type StreamOptions,
} from "./orders.ts";

/** Options of `generateMobileMarketplace`. */
export interface MobileMarketplaceOptions extends StreamOptions {
  customers?: number;
}

/** IST is UTC+5:30. */
const IST = 5.5 * HOUR;
/** Category, min and max unit price in paise. */
const CATEGORIES: PricedCategory[] = [
  ["mobiles", 700_000, 12_000_000],
  ["fashion", 30_000, 400_000],
  ["sneakers", 150_000, 1_500_000],
  ["home_kitchen", 20_000, 800_000],
  ["grocery", 5_000, 150_000],
  ["beauty", 15_000, 250_000],
  ["electronics", 100_000, 4_000_000],
  ["gift_cards", 50_000, 1_000_000],
  ["gold_coins", 500_000, 5_000_000],
];
const EVERYDAY = [
  "fashion",
  "home_kitchen",
  "grocery",
  "beauty",
  "grocery",
  "fashion",
  "electronics",
  "mobiles",
];
const EVERYDAY_WEIGHTS = [20, 15, 20, 12, 10, 8, 6, 3];
const NRI = ["AE", "US", "GB", "SG", "SA"];
const MAIL = ["gmail.com", "gmail.com", "gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"];

type Identity = OrderIdentity;

/** The rows of one stream, in time order. */
export function generateMobileMarketplace(options: MobileMarketplaceOptions = {}): FraudStreamRow[] {
  const r = createRandom(options.seed ?? 53);
  const days = options.days ?? 75;
  const start = Date.parse(options.start ?? "2025-10-01T00:00:00Z");
  const end = start + days * DAY;
  const festivalStart = start + 20 * DAY;
  const festivalEnd = festivalStart + 5 * DAY;
  const rows: FraudStreamRow[] = [];
  let gadget = 0, people = 0;
  const device = () => `${r.int(0, 0xffffff).toString(16)}-${(++gadget).toString(16)}`;
  const octets = () => `${r.int(0, 255)}.${r.int(1, 254)}`;
  const carriers = [
    Array.from({ length: 180 }, () => `49.36.${octets()}`),
    Array.from({ length: 140 }, () => `106.205.${octets()}`),
    Array.from({ length: 100 }, () => `157.48.${octets()}`),
  ];
  const broadband = () => `${r.int(110, 125)}.${r.int(0, 255)}.${octets()}`;
  const hosting = () => `${r.pick([34, 45, 139, 143, 165])}.${r.int(0, 255)}.${octets()}`;
  const card = () => ({
    bin: String(r.pick([4, 5, 6]) * 100000 + r.int(0, 99999)),
    last4: String(r.int(0, 9999)).padStart(4, "0"),
  });
  const priceOf = (category: string) => priceIn(r, CATEGORIES, category);
  /** Busier in the evening (IST): redraw a uniform time until it lands in a busy enough hour. */
  const shoppingTime = (from: number, to: number) => {
    for (;;) {
      const t = r.between(from, to);
      const hour = new Date(t + IST).getUTCHours();
      const weight = hour >= 19 && hour <= 23 ? 1 : hour >= 9 ? 0.5 : hour <= 1 ? 0.4 : 0.08;
      if (r.next() < weight) return t;
    }
  };
  const order = orderWriter(r, rows, CATEGORIES, 2000, "G");
  const basket = () =>
    Array.from(
      { length: r.weighted([1, 2, 3, 4], [55, 25, 12, 8]) },
      () => ({
        category: r.weighted(EVERYDAY, EVERYDAY_WEIGHTS),
        quantity: r.next() < 0.85 ? 1 : r.int(2, 3),
      }),
    );
  const method = () => r.weighted(["cod", "upi", "card", "wallet"], [35, 40, 18, 7]);

  // --- Honest customers -----------------------------------------------------------------------------------
  interface Customer {
    account: Account;
    identity: Identity;
    carrier?: string[];
    cardOnFile?: { bin: string; last4: string };
  }
  const customers = options.customers ?? 7_000;
  const honest: Customer[] = [];
  const familyPhones: string[] = [];
  const flashBuyers: Customer[] = [];
  for (let i = 0; i < customers; i++) {
    // Over half join during the period, many of them in the festival's week.
    const joins = r.next() < 0.55;
    const created = !joins
      ? start - r.between(10, 900) * DAY
      : r.next() < 0.35
      ? r.between(festivalStart - 3 * DAY, festivalEnd)
      : r.between(start, end - DAY);
    const account = { id: `g${++people}`, created };
    const nri = r.next() < 0.04;
    let phone = device();
    if (r.next() < 0.08 && familyPhones.length > 0) phone = r.pick(familyPhones);
    else if (r.next() < 0.08) familyPhones.push(phone);
    const onCarrier = r.next() < 0.75;
    const customer: Customer = {
      account,
      carrier: onCarrier ? r.pick(carriers) : undefined,
      cardOnFile: r.next() < 0.4 ? card() : undefined,
      identity: {
        device: phone,
        ip: onCarrier ? "" : broadband(),
        email: r.next() < 0.6 ? `${account.id}.${r.int(1, 99)}@${r.pick(MAIL)}` : undefined,
        billing: nri ? r.pick(NRI) : "IN",
        shipping: "IN",
        method: nri ? "card" : method(),
      },
    };
    honest.push(customer);
    if (r.next() < 0.05) flashBuyers.push(customer);
    const every = r.between(6, 45) * DAY;
    // Most newcomers buy within minutes of installing the app.
    let t = joins
      ? created + (r.next() < 0.6 ? r.between(MINUTE, 15 * MINUTE) : r.between(HOUR, 5 * DAY))
      : start + r.between(0, every);
    let first = joins;
    while (t < end) {
      const festive = t >= festivalStart && t < festivalEnd;
      const at = first ? t : shoppingTime(t, t + DAY);
      if (!first && r.next() < 0.03) customer.identity.device = device();
      const pay = r.next() < 0.7 ? customer.identity.method : method();
      const identity: Identity = {
        ...customer.identity,
        ip: customer.carrier ? r.pick(customer.carrier) : customer.identity.ip,
        method: pay,
        card: pay === "card" ? customer.cardOnFile ?? (customer.cardOnFile = card()) : undefined,
      };
      order(
        account,
        at,
        basket(),
        identity,
        false,
        "completed",
        first ? "legit_first_order" : "legit_repeat",
      );
      first = false;
      t += (festive ? every / 3 : every) * r.between(0.5, 1.5);
    }
  }
  const identityNow = (c: Customer, pay: string): Identity => ({
    ...c.identity,
    ip: c.carrier ? r.pick(c.carrier) : c.identity.ip,
    method: pay,
    card: pay === "card" ? c.cardOnFile ?? card() : undefined,
  });
  // Flash deals: each festival evening at 20:00 IST, honest buyers take one phone each within minutes.
  const openings = Array.from({ length: 5 }, (_, d) => festivalStart + d * DAY + 20 * HOUR - IST);
  const dealPrice = openings.map(() => priceOf("mobiles"));
  openings.forEach((open, d) => {
    for (const buyer of flashBuyers) {
      if (buyer.account.created >= open || r.next() < 0.6) continue;
      const at = open + Math.min(4 * HOUR, Math.exp(r.between(Math.log(2_000), Math.log(30 * MINUTE))));
      const pay = r.weighted(["upi", "card", "cod"], [50, 30, 20]);
      order(
        buyer.account,
        at,
        [{ category: "mobiles", quantity: 1, cents: dealPrice[d] }],
        identityNow(buyer, pay),
        false,
        "completed",
        "legit_flash_deal",
      );
    }
  });

  // --- Fraud ----------------------------------------------------------------------------------------------
  // Promotion abuse from device farms.
  for (let wave = 0; wave < Math.round(customers / 140); wave++) {
    let t = shoppingTime(start, end - DAY);
    const carrier = r.pick(carriers);
    const farmPhones = Array.from({ length: r.int(1, 4) }, device);
    const farmCards = Array.from({ length: r.int(1, 2) }, card);
    const alias = `deals${r.int(100, 9999)}`;
    for (let n = r.int(8, 45); n > 0; n--) {
      t += r.between(2 * MINUTE, 40 * MINUTE);
      const account = { id: `gp${++people}`, created: t - r.between(MINUTE, 30 * MINUTE) };
      const pay = r.weighted(["cod", "wallet", "card", "upi"], [45, 20, 20, 15]);
      order(
        account,
        t,
        [{ category: r.pick(["grocery", "beauty", "fashion", "home_kitchen"]), quantity: 1 }],
        {
          device: r.next() < 0.7 ? device() : r.pick(farmPhones),
          ip: r.pick(carrier),
          email: r.next() < 0.5 ? `${alias}+${n}@gmail.com` : undefined,
          card: pay === "card" ? r.pick(farmCards) : undefined,
          billing: "IN",
          shipping: "IN",
          method: pay,
        },
        true,
        "completed",
        "fraud_promotion_abuse",
      );
    }
  }
  // Refund abuse: old accounts run by one person on one phone, expensive orders claimed as never delivered.
  for (let k = 0; k < Math.round(customers / 100); k++) {
    const phone = device();
    const carrier = r.pick(carriers);
    for (let a = r.int(2, 4); a > 0; a--) {
      const account = { id: `gr${++people}`, created: start - r.between(60, 700) * DAY };
      const identity: Identity = {
        device: phone,
        ip: "",
        email: r.next() < 0.7 ? `${account.id}@${r.pick(MAIL)}` : undefined,
        billing: "IN",
        shipping: "IN",
        method: "",
      };
      let t = start + r.between(0, 20 * DAY);
      for (let n = r.int(2, 6); n > 0 && t < end; n--) {
        const claim = r.next() < 0.7;
        const pay = r.weighted(["upi", "card", "cod"], [50, 30, 20]);
        order(
          account,
          shoppingTime(t, t + DAY),
          claim ? [{ category: r.pick(["sneakers", "electronics", "mobiles"]), quantity: 1 }] : basket(),
          { ...identity, ip: r.pick(carrier), method: pay, card: pay === "card" ? card() : undefined },
          claim,
          "completed",
          claim ? "fraud_refund_abuse" : "refund_abuser_ordinary",
        );
        t += r.between(4, 20) * DAY;
      }
    }
  }
  // Scalper bots at the flash deals.
  openings.forEach((open, d) => {
    for (let op = r.int(1, 3); op > 0; op--) {
      const addresses = Array.from({ length: r.int(1, 3) }, hosting);
      const cards = Array.from({ length: r.int(2, 5) }, card);
      for (let n = r.int(10, 40); n > 0; n--) {
        const account = { id: `gs${++people}`, created: open - r.between(HOUR, 5 * DAY) };
        const pay = r.next() < 0.6 ? "card" : "upi";
        order(
          account,
          open + r.between(1_000, 20_000),
          [{ category: "mobiles", quantity: r.int(2, 5), cents: dealPrice[d] }],
          {
            device: device(),
            ip: r.pick(addresses),
            email: `${account.id}x@${r.pick(MAIL)}`,
            card: pay === "card" ? r.pick(cards) : undefined,
            billing: "IN",
            shipping: "IN",
            method: pay,
          },
          true,
          "completed",
          "fraud_scalper_bot",
        );
      }
    }
  });
  // SIM-swap takeover: a new phone on the owner's carrier, a new card, at night.
  const established = honest.filter((c) => c.account.created < start);
  for (let k = 0; k < Math.round(customers / 60); k++) {
    const victim = r.pick(established);
    let t = r.between(start + 5 * DAY, end - DAY);
    t -= ((new Date(t + IST).getUTCHours() + 24 - 2) % 24) * HOUR; // about 2 a.m. IST
    const identity: Identity = {
      ...identityNow(victim, "card"),
      device: device(),
      card: card(),
    };
    for (let n = r.int(1, 2); n > 0; n--) {
      order(
        victim.account,
        Math.max(t, victim.account.created + DAY),
        [{ category: r.pick(["gold_coins", "gift_cards", "mobiles"]), quantity: r.int(1, 3) }],
        identity,
        true,
        "completed",
        "fraud_sim_swap_takeover",
      );
      t += r.between(5 * MINUTE, HOUR);
    }
  }
  // Friendly fraud: an ordinary card order by an ordinary customer, disputed later.
  for (let k = 0; k < Math.round(customers / 50); k++) {
    const customer = r.pick(honest);
    const at = shoppingTime(Math.max(start, customer.account.created + HOUR), end);
    order(
      customer.account,
      at,
      basket(),
      identityNow(customer, "card"),
      true,
      "completed",
      "fraud_friendly_chargeback",
    );
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
