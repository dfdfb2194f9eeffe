/**
 * Generator F (session 10, independent of A-E): a business-to-business office and warehouse supplies
 * distributor in euros, selling to companies across the EU. Written from these assumptions about the shop and
 * its fraud, not from the model's features:
 *
 * - customers are companies, each with one to eight buyer accounts; the buyers of a company order from the
 *   company's office network (one NAT address per site), often from a shared procurement workstation, and pay
 *   with one corporate card shared by all of them or on invoice (no card); emails are at the company's own
 *   domain (sole traders use webmail);
 * - honest baskets are large: consumables by the dozen or hundred, and now and then an equipment refresh of
 *   laptops, monitors or phones for the staff; orders come on working days in office hours;
 * - some companies ship to a warehouse or subsidiary in another EU country than the one they are billed in;
 * - new companies are onboarded during the period (a sales call, then a first order within hours), and new
 *   buyers join existing companies on the company's network and card;
 * - a corporate card sometimes hits its limit: declined, then the order is placed on invoice;
 * - fraud (about 4% of orders): **bust-out** ("long-firm") companies that buy small for weeks, pay, then
 *   place a few very large orders of resellable equipment and vanish (only the unpaid orders are fraud: the
 *   label marks a loss); **distributed card testing** (a BIN attack through residential proxies: every
 *   attempt a new account, device and address, cards of one issuer range, mostly declined, cheap items);
 *   **business-account takeover** (a phished buyer login orders equipment on the company's card or invoice
 *   from a new device, and ships elsewhere); **stolen cards posing as new small businesses** (webmail, a first
 *   equipment order soon after sign-up, often shipped to a freight forwarder abroad).
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
  type StreamOptions,
} from "./orders.ts";

/** Options of `generateWholesaleSupplies`. */
export interface WholesaleSuppliesOptions extends StreamOptions {
  companies?: number;
}

/** Category, min and max unit price in euro cents. */
const CATEGORIES: PricedCategory[] = [
  ["paper", 300, 4_000],
  ["toner", 2_500, 18_000],
  ["cleaning", 200, 3_000],
  ["packaging", 50, 2_500],
  ["office_furniture", 8_000, 90_000],
  ["laptops", 45_000, 220_000],
  ["monitors", 12_000, 70_000],
  ["phones", 20_000, 120_000],
  ["stationery", 80, 1_500],
];
const CONSUMABLES = ["paper", "toner", "cleaning", "packaging", "stationery"];
const EQUIPMENT = ["laptops", "monitors", "phones"];
const COUNTRIES = ["DE", "NL", "FR", "PL", "AT", "BE", "IT", "ES"];
const COUNTRY_WEIGHTS = [35, 12, 15, 10, 8, 8, 7, 5];
const TLD: Record<string, string> = {
  DE: "de",
  NL: "nl",
  FR: "fr",
  PL: "pl",
  AT: "at",
  BE: "be",
  IT: "it",
  ES: "es",
};
const WEBMAIL = ["gmail.com", "web.de", "outlook.com", "gmx.net", "orange.fr", "wp.pl"];
/** Freight forwarders and reshippers outside the EU. */
const FORWARDERS = ["UA", "RS", "TR", "AE", "GE"];

type Identity = OrderIdentity;

/** The rows of one stream, in time order. */
export function generateWholesaleSupplies(options: WholesaleSuppliesOptions = {}): FraudStreamRow[] {
  const r = createRandom(options.seed ?? 41);
  const days = options.days ?? 120;
  const start = Date.parse(options.start ?? "2025-09-01T00:00:00Z");
  const end = start + days * DAY;
  const rows: FraudStreamRow[] = [];
  let gadget = 0, people = 0;
  const device = () => `wd${(++gadget).toString(36)}${r.int(0, 46655).toString(36)}`;
  const ip = () => `${r.int(77, 95)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  const card = (bin?: string) => ({
    bin: bin ?? String(r.int(400000, 559999)),
    last4: String(r.int(0, 9999)).padStart(4, "0"),
  });
  /** A time on a working day between 8:00 and 17:00 (UTC+1), at or after `from`. */
  const officeHours = (from: number) => {
    for (let t = from;; t += r.between(1, 5) * HOUR) {
      const local = new Date(t + HOUR);
      const day = local.getUTCDay(), hour = local.getUTCHours();
      if (day !== 0 && day !== 6 && hour >= 8 && hour < 17) return t;
    }
  };
  const order = orderWriter(r, rows, CATEGORIES, 120, "F");
  const consumables = () =>
    Array.from({ length: r.int(2, 8) }, () => ({
      category: r.pick(CONSUMABLES),
      quantity: Math.round(Math.exp(r.between(Math.log(5), Math.log(200)))),
    }));
  const equipment = (min: number, max: number) =>
    Array.from({ length: r.int(1, 2) }, () => ({ category: r.pick(EQUIPMENT), quantity: r.int(min, max) }));

  // --- Honest companies ---------------------------------------------------------------------------------
  interface Buyer {
    account: Account;
    identity: Identity;
  }
  const companies = options.companies ?? 700;
  const buyersOfAll: Buyer[][] = [];
  for (let c = 0; c < companies; c++) {
    const country = r.weighted(COUNTRIES, COUNTRY_WEIGHTS);
    const onboarded = r.next() < 0.2;
    const createdAt = onboarded ? r.between(start, end - 10 * DAY) : start - r.between(60, 2_500) * DAY;
    const soleTrader = r.next() < 0.12;
    const domain = soleTrader ? r.pick(WEBMAIL) : `firm${c}-${r.int(0, 999)}.${TLD[country]}`;
    const sites = Array.from({ length: r.next() < 0.2 ? 2 : 1 }, ip);
    const onInvoice = r.next() < 0.45;
    const corporateCard = onInvoice ? undefined : card();
    const workstation = r.next() < 0.3 ? device() : undefined;
    const warehouse = r.next() < 0.15 ? r.pick(COUNTRIES.filter((x) => x !== country)) : undefined;
    const size = soleTrader ? 1 : r.weighted([1, 2, 3, 5, 8], [35, 25, 18, 14, 8]);
    const buyers: Buyer[] = [];
    for (let b = 0; b < size; b++) {
      // The first buyer opens the account; later ones may join during the period.
      const joins = b > 0 && r.next() < 0.1;
      const created = b === 0 ? createdAt : joins ? r.between(Math.max(start, createdAt), end) : createdAt +
        r.between(0, Math.max(1, start - createdAt));
      const id = `fb${++people}`;
      buyers.push({
        account: { id, created: Math.min(created, end - DAY) },
        identity: {
          device: device(),
          ip: r.pick(sites),
          email: soleTrader ? `${id}@${domain}` : `buyer${b}@${domain}`,
          card: corporateCard ?? (onInvoice ? undefined : card()),
          billing: country,
          shipping: country,
          method: onInvoice ? "invoice" : "card",
        },
      });
    }
    buyersOfAll.push(buyers);
    const every = r.between(4, 25) * DAY;
    // A new company's first order follows the sales call within hours; established ones on their rhythm.
    let t = onboarded ? createdAt + r.between(20 * MINUTE, 2 * DAY) : start + r.between(0, every);
    let first = onboarded;
    while (t < end) {
      const candidates = buyers.filter((x) => x.account.created < t);
      if (candidates.length > 0) {
        const buyer = r.pick(candidates);
        const at = first ? t : officeHours(t);
        const remote = r.next() < 0.1;
        const identity: Identity = {
          ...buyer.identity,
          device: workstation && r.next() < 0.5 ? workstation : buyer.identity.device,
          ip: remote ? ip() : buyer.identity.ip,
          shipping: warehouse && r.next() < 0.7 ? warehouse : buyer.identity.shipping,
        };
        const refresh = r.next() < (first ? 0.5 : 0.06);
        const lines = refresh ? equipment(3, 40) : consumables();
        const scenario = first ? "legit_onboarding" : refresh ? "legit_equipment_refresh" : "legit_restock";
        if (identity.method === "card" && r.next() < 0.02) {
          order(buyer.account, at, lines, identity, false, "declined", "legit_card_limit");
          order(
            buyer.account,
            at + r.between(5 * MINUTE, HOUR),
            lines,
            { ...identity, method: "invoice", card: undefined },
            false,
            "completed",
            "legit_card_limit_invoice",
          );
        } else order(buyer.account, at, lines, identity, false, "completed", scenario);
      }
      first = false;
      t += every * r.between(0.6, 1.4);
    }
  }

  // --- Fraud ----------------------------------------------------------------------------------------------
  // Bust-out companies: weeks of small paid orders, then a burst of equipment on terms or on a card.
  for (let k = 0; k < Math.round(companies / 35); k++) {
    const country = r.weighted(COUNTRIES, COUNTRY_WEIGHTS);
    const created = r.between(start - 20 * DAY, start + 50 * DAY);
    const account = { id: `fx${++people}`, created };
    const identity: Identity = {
      device: device(),
      ip: ip(),
      email: r.next() < 0.6
        ? `${account.id}@${r.pick(WEBMAIL)}`
        : `info@new${k}-${r.int(0, 999)}.${TLD[country]}`,
      card: r.next() < 0.4 ? card() : undefined,
      billing: country,
      shipping: country,
      method: "",
    };
    identity.method = identity.card ? "card" : "invoice";
    let t = Math.max(start, created + r.between(HOUR, 5 * DAY));
    for (let n = r.int(2, 5); n > 0; n--) {
      order(
        account,
        officeHours(t),
        consumables().slice(0, 3),
        identity,
        false,
        "completed",
        "bust_out_buildup_paid",
      );
      t += r.between(5, 14) * DAY;
    }
    const away = r.next() < 0.6 ? r.pick([...FORWARDERS, ...COUNTRIES]) : country;
    for (let n = r.int(1, 3); n > 0; n--) {
      order(
        account,
        officeHours(t),
        equipment(5, 30),
        { ...identity, shipping: away, ip: r.next() < 0.5 ? identity.ip : ip() },
        true,
        "completed",
        "fraud_bust_out",
      );
      t += r.between(2, 30) * HOUR;
    }
  }
  // Distributed card testing: many one-attempt accounts, each with its own device and address.
  for (let wave = 0; wave < Math.max(1, Math.round(companies / 170)); wave++) {
    let t = r.between(start, end - DAY);
    const bin = String(r.int(400000, 559999));
    for (let n = r.int(15, 50); n > 0; n--) {
      t += r.between(20_000, 6 * MINUTE);
      const account = { id: `ft${++people}`, created: t - r.between(10_000, 3 * MINUTE) };
      const country = r.pick(COUNTRIES);
      order(
        account,
        t,
        [{ category: "stationery", quantity: 1, cents: r.int(150, 900) }],
        {
          device: device(),
          ip: ip(),
          email: `${account.id}${r.int(10, 99)}@${r.pick(WEBMAIL)}`,
          card: card(bin),
          billing: country,
          shipping: country,
          method: "card",
        },
        true,
        r.next() < 0.85 ? "declined" : "completed",
        "fraud_distributed_card_testing",
      );
    }
  }
  // Business-account takeover: a phished buyer login, a new device, equipment shipped elsewhere.
  const established = buyersOfAll.flat().filter((b) => b.account.created < start - 30 * DAY);
  for (let k = 0; k < Math.round(companies / 30); k++) {
    const victim = r.pick(established);
    let t = officeHours(r.between(start + 10 * DAY, end - DAY));
    const identity: Identity = {
      ...victim.identity,
      device: device(),
      ip: ip(),
      shipping: r.next() < 0.5 ? victim.identity.billing : r.pick([...FORWARDERS, ...COUNTRIES]),
    };
    for (let n = r.int(1, 2); n > 0; n--) {
      order(victim.account, t, equipment(2, 15), identity, true, "completed", "fraud_business_takeover");
      t += r.between(10 * MINUTE, 20 * HOUR);
    }
  }
  // Stolen cards posing as new small businesses.
  for (let k = 0; k < Math.round(companies / 10); k++) {
    const at = officeHours(r.between(start, end - DAY));
    const account = { id: `fs${++people}`, created: at - r.between(5 * MINUTE, 2 * DAY) };
    const billing = r.weighted(COUNTRIES, COUNTRY_WEIGHTS);
    const identity: Identity = {
      device: device(),
      ip: ip(),
      email: `${account.id}@${r.pick(WEBMAIL)}`,
      card: card(),
      billing,
      shipping: r.next() < 0.6 ? r.pick(FORWARDERS) : billing,
      method: "card",
    };
    let t = at;
    for (let n = r.next() < 0.3 ? 2 : 1; n > 0; n--) {
      order(
        account,
        t,
        r.next() < 0.7 ? equipment(2, 10) : consumables(),
        identity,
        true,
        "completed",
        "fraud_stolen_card_new_business",
      );
      t += r.between(HOUR, 3 * DAY);
    }
  }
  return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
