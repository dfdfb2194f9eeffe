/**
 * Generator D (independent of A, B and C): a grocery-and-household marketplace in a currency with large
 * nominal amounts (prices about 150 times those of the other generators), mostly repeat customers ordering
 * weekly, a low fraud rate (about 2% of orders), evenings and weekends busier. Written from these
 * assumptions, which differ from the other generators':
 *
 * - legitimate customers order every few days, most on years-old accounts, a third new ones who buy within
 *   a day of signing up; they occasionally buy a big appliance or a
 *   stock-up order (10 times their usual), sometimes from a new phone; many share office or campus IPs;
 *   travellers ship to a country other than billing now and then;
 * - stolen-card rings reuse a handful of cards across several fresh accounts, ship to one drop address
 *   abroad, and buy consoles and vouchers worth several times the shop's typical basket, hours apart (no
 *   second-level bursts);
 * - account takeovers hit established accounts at night from a new device, change the payment method and
 *   spend 4-20 times the owner's median, twice in an hour;
 * - refund-abuse accounts (new, a week old) place one big voucher order each from a shared device.
 */
import { createRandom } from "../random.ts";
import type { FraudStreamRow } from "../fraud_stream.ts";
import { DAY, HOUR, MINUTE, type OrderIdentity, orderWriter, type PricedCategory } from "./orders.ts";

export interface GroceryMarketplaceOptions {
  seed?: number;
  customers?: number;
  days?: number;
  start?: string;
}

/** Category, min and max unit price (in minor units of a currency with large amounts). */
const CATEGORIES: PricedCategory[] = [
  ["groceries", 15_000, 120_000],
  ["household", 30_000, 300_000],
  ["baby", 40_000, 400_000],
  ["appliances", 1_500_000, 12_000_000],
  ["consoles", 4_000_000, 9_000_000],
  ["vouchers", 500_000, 3_000_000],
];
const EVERYDAY = ["groceries", "groceries", "household", "baby"];
const COUNTRIES = ["JP", "JP", "JP", "KR", "TW"];
const DROP = ["HK", "MY", "TH", "PH"];
const METHODS = ["card", "wallet", "bank_transfer"];

export function generateGroceryMarketplace(options: GroceryMarketplaceOptions = {}): FraudStreamRow[] {
  const r = createRandom(options.seed ?? 23);
  const days = options.days ?? 90;
  const start = Date.parse(options.start ?? "2025-06-01T00:00:00Z");
  const rows: FraudStreamRow[] = [];
  let gadget = 0;
  const device = () => `d-${(++gadget).toString(16)}-${r.int(0, 65535).toString(16)}`;
  const ip = () => `2001:db8:${r.int(0, 65535).toString(16)}::${r.int(1, 65535).toString(16)}`;
  const card = () => ({
    bin: String(r.int(35000000, 35999999)),
    last4: String(r.int(0, 9999)).padStart(4, "0"),
  });
  /** Evening and weekend peaks: redraw a uniform time until it lands in a busy enough slot. */
  const busyTime = (from: number, to: number) => {
    for (;;) {
      const t = r.between(from, to);
      const d = new Date(t + 9 * HOUR);
      const weight = (d.getUTCHours() >= 18 && d.getUTCHours() <= 22 ? 1 : 0.35) *
        (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0.7);
      if (r.next() < weight) return t;
    }
  };
  interface Identity extends OrderIdentity {
    device: string;
    ip: string;
    email: string;
    card: { bin: string; last4: string };
    billing: string;
    shipping: string;
  }
  const order = orderWriter(r, rows, CATEGORIES, 400, "D");
  const basket = () =>
    Array.from({ length: r.int(1, 5) }, () => ({ category: r.pick(EVERYDAY), quantity: r.int(1, 4) }));
  const end = start + days * DAY;
  const offices = Array.from({ length: 40 }, ip);
  const established: { customer: { id: string; created: number }; identity: Identity }[] = [];

  const customers = options.customers ?? 1_000;
  for (let i = 0; i < customers; i++) {
    // A third of the customers sign up during the period (the shop grows), the rest years before.
    const joins = r.next() < 0.35;
    const customer = {
      id: `dc${i}`,
      created: joins ? r.between(start, end - 7 * DAY) : start - r.between(30, 1500) * DAY,
    };
    const home = r.pick(COUNTRIES);
    const identity: Identity = {
      device: device(),
      ip: r.next() < 0.3 ? r.pick(offices) : ip(),
      email: `u${i}@${r.pick(["docomo.ne.jp", "gmail.com", "yahoo.co.jp", "naver.com"])}`,
      card: card(),
      billing: home,
      shipping: home,
      method: r.pick(METHODS),
    };
    established.push({ customer, identity });
    const every = r.between(2, 14) * DAY;
    // Newcomers order first within minutes to a day of signing up, then on their rhythm.
    const first = joins ? customer.created + r.between(2 * MINUTE, DAY) : start + r.between(0, every);
    for (let t = first; t < end; t += every * r.between(0.5, 1.5)) {
      const at = t === first && joins ? t : busyTime(t, t + DAY);
      let lines = basket();
      let scenario = "legit_weekly";
      const roll = r.next();
      if (roll < 0.02) {
        lines = [{ category: "appliances", quantity: 1 }];
        scenario = "legit_appliance";
      } else if (roll < 0.04) {
        lines = lines.map((l) => ({ ...l, quantity: l.quantity * 10 }));
        scenario = "legit_stock_up";
      } else if (roll < 0.05) {
        lines = [{ category: r.pick(["consoles", "vouchers"]), quantity: 1 }];
        scenario = "legit_gift";
      }
      const travel = r.next() < 0.03;
      const newPhone = r.next() < 0.02;
      if (newPhone) identity.device = device();
      order(
        customer,
        at,
        lines,
        {
          ...identity,
          shipping: travel ? r.pick(COUNTRIES.filter((c) => c !== identity.billing)) : identity.shipping,
        },
        false,
        "completed",
        scenario,
      );
    }
  }

  // Fraud: about 2% of orders in all.
  const rings = Math.round(customers / 60);
  for (let g = 0; g < rings; g++) {
    const cards = Array.from({ length: r.int(2, 4) }, card);
    const drop = r.pick(DROP);
    let t = r.between(start + 5 * DAY, end - 3 * DAY);
    const accounts = r.int(3, 8);
    for (let a = 0; a < accounts; a++) {
      const customer = { id: `dr${g}-${a}`, created: t - r.between(10 * MINUTE, 3 * DAY) };
      const identity: Identity = {
        device: device(),
        ip: ip(),
        email: `shop${r.int(100, 99999)}@gmail.com`,
        card: r.pick(cards),
        billing: r.pick(COUNTRIES),
        shipping: drop,
        method: "card",
      };
      for (let k = r.int(1, 2); k > 0; k--) {
        order(
          customer,
          t,
          [{ category: r.pick(["consoles", "vouchers"]), quantity: r.int(1, 3) }],
          identity,
          true,
          "completed",
          "fraud_card_ring",
        );
        t += r.between(1, 8) * HOUR;
      }
    }
  }
  const takeovers = Math.round(customers / 15);
  for (let k = 0; k < takeovers; k++) {
    const { customer, identity } = r.pick(established);
    let t = r.between(start + 20 * DAY, end);
    t -= ((new Date(t + 9 * HOUR).getUTCHours() + 24 - 3) % 24) * HOUR; // about 3 a.m. local
    const hijacked: Identity = {
      ...identity,
      device: device(),
      ip: ip(),
      method: r.pick(METHODS.filter((m) => m !== identity.method)),
      card: card(),
    };
    for (let n = r.int(1, 2); n > 0; n--) {
      const lines = r.next() < 0.5
        ? [{ category: "appliances", quantity: 1 }]
        : basket().map((l) => ({ ...l, quantity: l.quantity * r.int(4, 20) }));
      order(customer, t, lines, hijacked, true, "completed", "fraud_takeover");
      t += r.between(5, 50) * MINUTE;
    }
  }
  const abusers = Math.round(customers / 25);
  const sharedDevices = Array.from({ length: Math.max(1, Math.round(abusers / 5)) }, device);
  for (let k = 0; k < abusers; k++) {
    const at = busyTime(start + 10 * DAY, end);
    const customer = { id: `da${k}`, created: at - r.between(3, 10) * DAY };
    const home = r.pick(COUNTRIES);
    order(
      customer,
      at,
      [{ category: "vouchers", quantity: r.int(2, 5) }],
      {
        device: r.pick(sharedDevices),
        ip: ip(),
        email: `a${k}x${r.int(0, 999)}@gmail.com`,
        card: card(),
        billing: home,
        shipping: home,
        method: r.pick(METHODS),
      },
      true,
      "completed",
      "fraud_refund_abuse",
    );
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
