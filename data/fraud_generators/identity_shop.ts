/**
 * Generator C (independent of `data/fraud_stream.ts` and `signup_bursts.ts`): a shop that sends every
 * identity field. Written from these assumptions:
 *
 * - legitimate customers keep one or two devices, a home address and one or two cards, ship to their billing
 *   country (a few send gifts abroad), and some share a household device or an office IP;
 * - card testers open an account, try several cheap orders with different cards (most declined) from one
 *   device, then cash out on high-resale goods;
 * - account takeovers use an established account from a new device and a foreign address, shipping abroad,
 *   for far more than the owner usually spends;
 * - triangulation rings run many accounts with throw-away emails on a few cards and addresses;
 * - promotion abusers open many fresh accounts behind one address, each buying a few of the same
 *   high-resale item.
 */
import { createRandom } from "../random.ts";
import type { FraudStreamRow } from "../fraud_stream.ts";
import { type Account, DAY, HOUR, MINUTE, orderWriter, type PricedCategory } from "./orders.ts";

export interface IdentityShopOptions {
  seed?: number;
  customers?: number;
  days?: number;
  start?: string;
  /** Multiplies the number of fraud episodes of every typology. */
  fraudScale?: number;
}

const CATEGORIES: PricedCategory[] = [
  ["accessories", 800, 6_000],
  ["audio", 3_000, 40_000],
  ["storage", 4_000, 30_000],
  ["monitors", 15_000, 90_000],
  ["laptops", 50_000, 280_000],
  ["phones", 25_000, 140_000],
  ["graphics_cards", 25_000, 200_000],
  ["gift_cards", 2_500, 20_000],
];
const RESALE = ["phones", "graphics_cards", "gift_cards"];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.co.uk"];
const THROWAWAY = ["mailinator.com", "yopmail.com", "sharklasers.com", "guerrillamail.com", "fakemail.xyz"];
const COUNTRIES = ["US", "US", "US", "GB", "CA", "DE", "FR"];
const FOREIGN = ["NG", "RU", "VN", "ID", "BR", "UA", "RO"];

export function generateIdentityShop(options: IdentityShopOptions = {}): FraudStreamRow[] {
  const r = createRandom(options.seed ?? 11);
  const days = options.days ?? 120;
  const start = Date.parse(options.start ?? "2025-03-01T00:00:00Z");
  const scale = options.fraudScale ?? 1;
  const rows: FraudStreamRow[] = [];
  let person = 0, gadget = 0;
  const hex = () => (++gadget).toString(36).padStart(6, "0") + r.int(0, 1e6).toString(36);
  const ip = (country: string) =>
    `${country === "US" ? r.int(3, 99) : r.int(100, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  const card = () => ({ bin: String(r.int(400000, 559999)), last4: String(r.int(0, 9999)).padStart(4, "0") });
  interface Identity {
    device: string;
    ip: string;
    email: string;
    card: { bin: string; last4: string };
    billing: string;
    shipping: string;
  }
  const write = orderWriter(r, rows, CATEGORIES, 8, "C");
  // every order here is paid by card
  const order = (
    customer: Account,
    at: number,
    lines: { category: string; quantity: number; cents?: number }[],
    id: Identity,
    fraud: boolean,
    status: "completed" | "declined",
    scenario: string,
  ) => write(customer, at, lines, { ...id, method: "card" }, fraud, status, scenario);
  const everyday = () => r.weighted(CATEGORIES.map(([c]) => c), [30, 12, 10, 6, 4, 5, 3, 6]);

  // Legitimate customers: created before or during the stream, ordering every few weeks.
  const customers = options.customers ?? 4000;
  const established: { id: string; created: number; identity: Identity; usual: number }[] = [];
  const offices = Array.from({ length: 20 }, () => ip("US"));
  for (let i = 0; i < customers; i++) {
    const country = r.pick(COUNTRIES);
    const created = start + r.between(-300, days) * DAY;
    const id = `c${++person}`;
    const home = r.next() < 0.1 ? r.pick(offices) : ip(country);
    const identity: Identity = {
      device: hex(),
      ip: home,
      email: `${id}@${r.pick(DOMAINS)}`,
      card: card(),
      billing: country,
      shipping: country,
    };
    const customer = { id, created };
    established.push({ id, created, identity, usual: r.between(0.5, 2) });
    let t = Math.max(start, created + r.between(2 * MINUTE, 20 * DAY));
    while (t < start + days * DAY) {
      const devices = r.next() < 0.15 ? { ...identity, device: hex(), ip: ip(country) } : identity;
      const gift = r.next() < 0.05 ? r.pick(COUNTRIES) : country;
      const lines = Array.from(
        { length: r.int(1, 3) },
        () => ({ category: everyday(), quantity: r.next() < 0.9 ? 1 : r.int(2, 4) }),
      );
      const declined = r.next() < 0.03;
      order(
        customer,
        t,
        lines,
        { ...devices, shipping: gift, card: r.next() < 0.1 ? card() : identity.card },
        false,
        declined ? "declined" : "completed",
        "legit",
      );
      if (declined) {
        order(
          customer,
          t + r.between(MINUTE, 10 * MINUTE),
          lines,
          { ...devices, card: card() },
          false,
          "completed",
          "legit_retry",
        );
      }
      t += r.between(3 * DAY, 45 * DAY);
    }
  }

  const when = () => start + r.between(0, days * DAY);
  const fresh = (at: number, emailDomain: string) => {
    const id = `f${++person}`;
    return { id, created: at - r.between(30_000, 2 * HOUR), email: `${id}@${emailDomain}` };
  };
  // Card testing, then cash-out.
  for (let e = 0; e < 60 * scale; e++) {
    let t = when();
    const account = fresh(t, r.pick([...DOMAINS, ...THROWAWAY]));
    const country = r.pick(COUNTRIES);
    const base = {
      device: hex(),
      ip: ip(r.pick(FOREIGN)),
      email: account.email,
      billing: country,
      shipping: country,
      card: card(),
    };
    for (let k = r.int(3, 8); k > 0; k--) {
      t += r.between(20_000, 4 * MINUTE);
      order(
        account,
        t,
        [{ category: "gift_cards", quantity: 1, cents: r.pick([500, 1000, 2500]) }],
        { ...base, card: card() },
        true,
        r.next() < 0.75 ? "declined" : "completed",
        "fraud_card_testing",
      );
    }
    t += r.between(MINUTE, 3 * HOUR);
    order(
      account,
      t,
      [{ category: r.pick(RESALE), quantity: r.int(1, 4) }],
      { ...base, card: card() },
      true,
      "completed",
      "fraud_cash_out",
    );
  }
  // Account takeover.
  for (let e = 0; e < 70 * scale; e++) {
    const victim = r.pick(established);
    let t = Math.max(when(), victim.created + 20 * DAY);
    const abroad = r.pick(FOREIGN);
    const identity = {
      ...victim.identity,
      device: hex(),
      ip: ip(abroad),
      shipping: r.next() < 0.7 ? abroad : victim.identity.billing,
    };
    for (let k = r.int(1, 3); k > 0; k--) {
      order(
        victim,
        t,
        [{ category: r.pick(RESALE), quantity: r.int(1, 3) }],
        identity,
        true,
        "completed",
        "fraud_account_takeover",
      );
      t += r.between(5 * MINUTE, 6 * HOUR);
    }
  }
  // Triangulation ring: throw-away emails, a few shared cards and addresses, goods shipped abroad.
  for (let ring = 0; ring < 6 * scale; ring++) {
    const cards = Array.from({ length: r.int(2, 4) }, card);
    const ips = Array.from({ length: r.int(1, 3) }, () => ip(r.pick(FOREIGN)));
    for (let k = r.int(8, 20); k > 0; k--) {
      const t = when();
      const account = fresh(t, r.pick(THROWAWAY));
      order(
        account,
        t,
        [{ category: r.pick([...RESALE, "laptops", "monitors"]), quantity: 1 }],
        {
          device: hex(),
          ip: r.pick(ips),
          email: account.email,
          card: r.pick(cards),
          billing: "US",
          shipping: r.next() < 0.5 ? "US" : r.pick(FOREIGN),
        },
        true,
        "completed",
        "fraud_triangulation",
      );
    }
  }
  // Promotion abuse: fresh accounts behind one address within a day, a few of the same resale item each.
  for (let wave = 0; wave < 10 * scale; wave++) {
    let t = when();
    const address = ip(r.pick(COUNTRIES));
    const category = r.pick(RESALE);
    for (let k = r.int(4, 12); k > 0; k--) {
      t += r.between(2 * MINUTE, 2 * HOUR);
      const account = fresh(t, r.pick(DOMAINS));
      const country = r.pick(COUNTRIES);
      order(
        account,
        t,
        [{ category, quantity: r.int(2, 5) }],
        {
          device: r.next() < 0.5 ? hex() : `shared-${wave}`,
          ip: address,
          email: account.email,
          card: card(),
          billing: country,
          shipping: country,
        },
        true,
        "completed",
        "fraud_promotion_abuse",
      );
    }
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
