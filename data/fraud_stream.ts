/**
 * Deterministic generator of a labeled transaction stream for measuring fraud rules.
 *
 * Legitimate traffic carries the edge cases that fool naive rules: a holiday spike with many brand-new
 * accounts buying expensive gifts, loyal big spenders, business buyers ordering dozens of units, night
 * owls, declined cards retried with another card, and established customers paying with a new card.
 * Fraud is injected as card-testing bursts, account takeovers, reseller quantity spikes and new-account
 * high-value orders, each with variants that look ordinary. Labels live only in the output rows.
 *
 * `deno run -A data/fraud_stream.ts [out.csv] [--seed=N]` writes the CSV.
 */
import { zonedTimeToUtc } from "../server/shared/store_time.ts";
import { mulberry32 } from "./random.ts";

/** One row of the labeled stream: one order line. Lines of an order share `transaction_id`. */
export interface FraudStreamRow {
  transaction_id: string;
  timestamp: string;
  customer_id: string;
  customer_created_at: string;
  product_id: string;
  category: string;
  unit_price_cents: number;
  quantity: number;
  payment_method: string;
  status: "completed" | "declined";
  is_fraud: 0 | 1;
  device_id?: string;
  ip_address?: string;
  email?: string;
  card_bin?: string;
  card_last4?: string;
  billing_country?: string;
  shipping_country?: string;
  /**
   * Which generator population or fraud pattern produced the row (`legit_business`, `fraud_card_testing`,
   * ...). For diagnostics only: it is not a CSV column and the replay never reads it.
   */
  scenario?: string;
}

/** CSV columns, in order. */
export const FRAUD_STREAM_COLUMNS: readonly Exclude<keyof FraudStreamRow, "scenario">[] = [
  "transaction_id",
  "timestamp",
  "customer_id",
  "customer_created_at",
  "product_id",
  "category",
  "unit_price_cents",
  "quantity",
  "payment_method",
  "status",
  "is_fraud",
];

/** Optional identity columns, written only when some row has them. */
export const IDENTITY_COLUMNS = [
  "device_id",
  "ip_address",
  "email",
  "card_bin",
  "card_last4",
  "billing_country",
  "shipping_country",
] as const;

/** Options of `generateFraudStream`. */
export interface FraudStreamOptions {
  seed?: number;
  /** First local day of the stream, `YYYY-MM-DD`. */
  startDate?: string;
  days?: number;
  /** Store time zone: hours of day are drawn on its clocks. */
  timeZone?: string;
  /** Multiplies every population size (1 gives about 30 000 rows over 90 days). */
  scale?: number;
}

export { mulberry32 } from "./random.ts";

interface Product {
  id: string;
  category: string;
  priceCents: number;
}

interface Customer {
  key: number;
  scenario: string;
  createdAt: number;
  methods: string[];
  id: string;
}

interface Line {
  product: Product;
  quantity: number;
}

interface Order {
  at: number;
  seq: number;
  customer: Customer;
  lines: Line[];
  method: string;
  status: "completed" | "declined";
  fraud: boolean;
  scenario: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Relative order volume per local hour 0..23: busy evenings, a quiet but not empty night.
const HOUR_WEIGHTS = [2.2, 1.2, 0.7, 0.5, 0.5, 0.7, 1.5, 3, 4, 5, 6, 7, 7.5, 7, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4];
const NIGHT_OWL_HOUR_WEIGHTS = [
  6,
  6,
  5,
  4,
  2,
  0.5,
  0.2,
  0.2,
  0.5,
  1,
  1,
  1,
  1,
  1,
  1,
  1,
  1,
  1,
  1,
  2,
  3,
  4,
  5,
  6,
];
const FLAT_HOUR_WEIGHTS = HOUR_WEIGHTS.map(() => 1);

// category -> [number of products, min price $, max price $]
const CATALOGUE: [string, number, number, number][] = [
  ["accessories", 30, 8, 60],
  ["audio", 12, 30, 400],
  ["storage", 10, 40, 300],
  ["smart_home", 10, 25, 250],
  ["monitors", 8, 150, 900],
  ["laptops", 10, 500, 2800],
  ["phones", 10, 250, 1400],
  ["graphics_cards", 8, 250, 2000],
];
const GIFT_CARD_CENTS = [2_500, 5_000, 10_000, 20_000];

type Weights = Record<string, number>;
const REGULAR_MIX: Weights = {
  accessories: 30,
  audio: 14,
  storage: 12,
  smart_home: 10,
  monitors: 6,
  laptops: 6,
  phones: 8,
  graphics_cards: 5,
  gift_cards: 9,
};
const BIG_SPENDER_MIX: Weights = {
  accessories: 12,
  audio: 12,
  storage: 8,
  smart_home: 6,
  monitors: 14,
  laptops: 18,
  phones: 14,
  graphics_cards: 14,
  gift_cards: 2,
};
const GIFT_MIX: Weights = {
  accessories: 14,
  audio: 16,
  storage: 6,
  smart_home: 10,
  monitors: 4,
  laptops: 12,
  phones: 14,
  graphics_cards: 8,
  gift_cards: 16,
};

/** A random source with the distributions the generator needs. */
class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
  poisson(mean: number): number {
    // Knuth's method is fine for the small means used here.
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

function buildCatalogue(random: Random): Map<string, Product[]> {
  const byCategory = new Map<string, Product[]>();
  let n = 0;
  for (const [category, count, min, max] of CATALOGUE) {
    const products: Product[] = [];
    for (let i = 0; i < count; i++) {
      const dollars = Math.round(min * Math.pow(max / min, random.next()));
      products.push({ id: `P${String(++n).padStart(3, "0")}`, category, priceCents: dollars * 100 - 1 });
    }
    byCategory.set(category, products);
  }
  byCategory.set(
    "gift_cards",
    GIFT_CARD_CENTS.map((priceCents) => ({
      id: `P${String(++n).padStart(3, "0")}`,
      category: "gift_cards",
      priceCents,
    })),
  );
  return byCategory;
}

/**
 * Generates the labeled stream, sorted by timestamp. The same options always give the same rows.
 * @example generateFraudStream({ seed: 7, scale: 0.2 }).length // about 6 000
 */
export function generateFraudStream(options: FraudStreamOptions = {}): FraudStreamRow[] {
  const random = new Random(mulberry32(options.seed ?? 20251128));
  const timeZone = options.timeZone ?? "America/New_York";
  const days = options.days ?? 90;
  const scale = options.scale ?? 1;
  const [startYear, startMonth, startDay] = (options.startDate ?? "2025-09-03").split("-").map(Number);
  const catalogue = buildCatalogue(random);

  function localInstant(day: number, hour: number, minute: number, second = 0): number {
    const date = new Date(Date.UTC(startYear, startMonth - 1, startDay + day));
    return zonedTimeToUtc({
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour,
      minute,
      second,
    }, timeZone).getTime();
  }
  const streamStart = localInstant(0, 0, 0);
  const streamEnd = localInstant(days, 0, 0);
  // Black Friday week: the last Friday of November that falls inside the stream, else none.
  const blackFriday = (() => {
    for (let day = days - 1; day >= 0; day--) {
      const date = new Date(Date.UTC(startYear, startMonth - 1, startDay + day));
      if (date.getUTCMonth() === 10 && date.getUTCDay() === 5 && date.getUTCDate() >= 23) return day;
    }
    return -100;
  })();
  function holidayFactor(day: number): number {
    const offset = day - blackFriday;
    if (offset >= -1 && offset <= 3) return 3;
    if (offset >= -8 && offset <= 10) return 1.5;
    return 1;
  }
  function randomTimeOnDay(day: number, hourWeights: readonly number[]): number {
    return localInstant(day, random.weighted(hourWeights), random.int(0, 59), random.int(0, 59));
  }

  const customers: Customer[] = [];
  const orders: Order[] = [];
  let seq = 0;
  function newCard(): string {
    return `card_${Math.floor(random.next() * 36 ** 6).toString(36).padStart(6, "0")}`;
  }
  function newCustomer(createdAt: number, scenario: string): Customer {
    const methods = [random.chance(0.8) ? newCard() : random.pick(["paypal", "apple_pay", "google_pay"])];
    if (random.chance(0.3)) methods.push(newCard());
    const customer = { key: customers.length, scenario, createdAt, methods, id: "" };
    customers.push(customer);
    return customer;
  }
  function productOf(category: string): Product {
    return random.pick(catalogue.get(category)!);
  }
  function categoryFrom(mix: Weights): string {
    const names = Object.keys(mix);
    return names[random.weighted(names.map((name) => mix[name]))];
  }
  function usualQuantity(category: string): number {
    if (category === "accessories") return random.chance(0.7) ? 1 : random.int(2, 4);
    if (category === "gift_cards") return random.chance(0.85) ? 1 : random.int(2, 3);
    return random.chance(0.95) ? 1 : 2;
  }
  function basket(mix: Weights, quantity: (category: string) => number = usualQuantity): Line[] {
    const count = random.weighted([78, 17, 5]) + 1;
    const lines: Line[] = [];
    for (let i = 0; i < count; i++) {
      const category = categoryFrom(mix);
      lines.push({ product: productOf(category), quantity: quantity(category) });
    }
    return lines;
  }
  function push(order: Omit<Order, "seq" | "scenario">, scenario = order.customer.scenario): void {
    if (order.at < order.customer.createdAt || order.at >= streamEnd) return;
    orders.push({ ...order, scenario, seq: seq++ });
  }

  /** A legitimate order, sometimes declined first and retried (often with another card). */
  function legitOrder(customer: Customer, at: number, lines: Line[]): void {
    let method = random.chance(0.8) ? customer.methods[0] : random.pick(customer.methods);
    if (random.chance(0.03)) {
      // An established customer with a new card: an ordinary event that resembles a takeover.
      method = newCard();
      customer.methods.push(method);
    }
    let when = at;
    if (random.chance(0.035)) {
      push({ at: when, customer, lines, method, status: "declined", fraud: false });
      when += random.int(40, 300) * 1000;
      if (random.chance(0.6)) {
        const other = customer.methods.find((m) => m !== method);
        method = other && random.chance(0.5) ? other : newCard();
        if (!customer.methods.includes(method)) customer.methods.push(method);
      }
      if (random.chance(0.15)) {
        push({ at: when, customer, lines, method, status: "declined", fraud: false });
        when += random.int(40, 300) * 1000;
        method = newCard();
      }
    }
    push({ at: when, customer, lines, method, status: "completed", fraud: false });
  }

  /** Orders on a Poisson schedule, busier around the holiday. */
  function legitSchedule(
    customer: Customer,
    ratePerDay: number,
    hourWeights: readonly number[],
    makeLines: (day: number) => Line[],
  ): void {
    const firstDay = Math.max(0, Math.floor((customer.createdAt - streamStart) / DAY));
    for (let day = firstDay; day < days; day++) {
      const n = random.poisson(ratePerDay * holidayFactor(day));
      for (let i = 0; i < n; i++) legitOrder(customer, randomTimeOnDay(day, hourWeights), makeLines(day));
    }
  }
  function existingCreatedAt(): number {
    return streamStart - random.int(20, 1200) * DAY - random.int(0, DAY);
  }
  /** A customer's own taste: the base mix with each category made more or less likely. */
  function tilted(mix: Weights): Weights {
    return Object.fromEntries(
      Object.entries(mix).map(([name, w]) => [name, w * Math.exp(0.9 * random.normal())]),
    );
  }
  function giftOr(mix: Weights, day: number): Weights {
    return holidayFactor(day) > 1 && random.chance(0.5) ? GIFT_MIX : mix;
  }

  const population = (n: number) => Math.round(n * scale);

  // Regular customers: a few orders each.
  for (let i = 0; i < population(3000); i++) {
    const customer = newCustomer(existingCreatedAt(), "legit_regular");
    const rate = 0.02 + random.next() * 0.06;
    const mix = tilted(REGULAR_MIX);
    legitSchedule(customer, rate, HOUR_WEIGHTS, (day) => basket(giftOr(mix, day)));
  }
  // Loyal big spenders: frequent, expensive and variable, sometimes two of the same phone.
  for (let i = 0; i < population(200); i++) {
    const customer = newCustomer(existingCreatedAt(), "legit_big_spender");
    if (random.chance(0.6)) customer.methods.push(newCard());
    legitSchedule(
      customer,
      0.15 + random.next() * 0.2,
      HOUR_WEIGHTS,
      () =>
        basket(
          BIG_SPENDER_MIX,
          (category) =>
            ["phones", "graphics_cards", "gift_cards"].includes(category) && random.chance(0.12)
              ? random.int(2, 4)
              : usualQuantity(category),
        ),
    );
  }
  // Business buyers: equipping offices, dozens of accessories, batches of monitors, laptops and phones.
  for (let i = 0; i < population(80); i++) {
    const customer = newCustomer(existingCreatedAt(), "legit_business");
    legitSchedule(
      customer,
      0.05 + random.next() * 0.12,
      HOUR_WEIGHTS.map((w, h) => (h >= 8 && h < 18 ? w * 3 : w)),
      () => {
        const kind = random.weighted([35, 20, 20, 15, 10]);
        if (kind === 0) return [{ product: productOf("accessories"), quantity: random.int(8, 60) }];
        if (kind === 1) return [{ product: productOf("monitors"), quantity: random.int(3, 20) }];
        if (kind === 2) return [{ product: productOf("laptops"), quantity: random.int(2, 12) }];
        if (kind === 3) return [{ product: productOf("phones"), quantity: random.int(3, 12) }];
        return basket(REGULAR_MIX);
      },
    );
  }
  // Night owls: ordinary baskets in the small hours.
  for (let i = 0; i < population(250); i++) {
    const customer = newCustomer(existingCreatedAt(), "legit_night_owl");
    const mix = tilted(REGULAR_MIX);
    legitSchedule(
      customer,
      0.03 + random.next() * 0.06,
      NIGHT_OWL_HOUR_WEIGHTS,
      (day) => basket(giftOr(mix, day)),
    );
  }
  // New sign-ups all along: the account is created at checkout, minutes before the first order.
  for (let i = 0; i < population(1500); i++) {
    let day = random.int(0, days - 1);
    if (random.chance(0.25) && blackFriday >= 0) {
      day = Math.min(days - 1, Math.max(0, blackFriday + random.int(-3, 4)));
    }
    const first = randomTimeOnDay(day, HOUR_WEIGHTS);
    const customer = newCustomer(first - random.int(2, 45) * MINUTE, "legit_new_signup");
    const mix = holidayFactor(day) > 1 ? GIFT_MIX : REGULAR_MIX;
    legitOrder(
      customer,
      first,
      basket(
        mix,
        (category) =>
          category === "gift_cards" && mix === GIFT_MIX && random.chance(0.3)
            ? random.int(2, 5)
            : usualQuantity(category),
      ),
    );
    const taste = tilted(REGULAR_MIX);
    legitSchedule(customer, 0.02 + random.next() * 0.03, HOUR_WEIGHTS, (d) => basket(giftOr(taste, d)));
  }

  const established = customers.slice();

  // --- Fraud ---------------------------------------------------------------------------------------
  function fraudDayTime(nightShare: number): number {
    const day = random.int(0, days - 1);
    return randomTimeOnDay(day, random.chance(nightShare) ? NIGHT_OWL_HOUR_WEIGHTS : FLAT_HOUR_WEIGHTS);
  }
  function fraudOrder(
    customer: Customer,
    at: number,
    lines: Line[],
    method: string,
    declineRate: number,
    scenario: string,
  ): void {
    push({
      at,
      customer,
      lines,
      method,
      status: random.chance(declineRate) ? "declined" : "completed",
      fraud: true,
    }, scenario);
  }
  /** The point of these patterns is a big order: add units until it is worth the fraudster's while. */
  function fillTo(lines: Line[], targetCents: number): void {
    while (
      lines[0].quantity < 10 &&
      lines.reduce((sum, l) => sum + l.product.priceCents * l.quantity, 0) < targetCents
    ) {
      lines[0].quantity++;
    }
  }
  function resaleLines(minUnits: number, maxUnits: number): Line[] {
    const category = random.pick(["phones", "phones", "graphics_cards", "gift_cards"]);
    const product = category === "gift_cards"
      ? random.pick(catalogue.get("gift_cards")!.slice(2))
      : productOf(category);
    const lines = [{ product, quantity: random.int(minUnits, maxUnits) }];
    if (random.chance(0.2)) {
      lines.push({
        product: productOf(random.pick(["phones", "graphics_cards"])),
        quantity: random.int(1, 3),
      });
    }
    return lines;
  }

  // Card testing: a bot tries many small orders with many cards within minutes; most are declined.
  for (let i = 0; i < population(40); i++) {
    const start = fraudDayTime(0.3);
    const customer = random.chance(0.6)
      ? newCustomer(start - random.int(1, 30) * MINUTE, "fraud_card_testing")
      : random.pick(established);
    let at = start;
    let card = newCard();
    const working: string[] = [];
    // Testing scripts run through lists of stolen cards: dozens of attempts are common.
    const attempts = random.int(8, 40);
    for (let a = 0; a < attempts; a++) {
      if (a > 0 && random.chance(0.75)) card = newCard();
      const small = random.chance(0.6)
        ? catalogue.get("accessories")!.filter((p) => p.priceCents < 3_000)
        : [catalogue.get("gift_cards")![0]];
      const declined = random.chance(0.7);
      push({
        at,
        customer,
        lines: [{ product: random.pick(small), quantity: 1 }],
        method: card,
        status: declined ? "declined" : "completed",
        fraud: true,
      }, "fraud_card_testing");
      if (!declined) working.push(card);
      // Scripts fire every few seconds; people retyping a card take minutes.
      at += random.int(5, 60) * 1000;
    }
    if (working.length > 0 && random.chance(0.5)) {
      fraudOrder(
        customer,
        at + random.int(5, 90) * MINUTE,
        resaleLines(2, 6),
        random.pick(working),
        0.1,
        "fraud_card_testing",
      );
    }
  }

  // Account takeover: a stolen login places one to three large orders within hours, usually with a new
  // card. Takeovers target accounts with a track record (at least three completed orders).
  const completedTimes = new Map<Customer, number[]>();
  for (const order of orders) {
    if (order.status !== "completed") continue;
    const times = completedTimes.get(order.customer) ?? [];
    times.push(order.at);
    completedTimes.set(order.customer, times);
  }
  const takeoverTargets = [...completedTimes.entries()]
    .map(([customer, times]) => ({ customer, third: times.sort((a, b) => a - b)[2] }))
    .filter((target) => target.third !== undefined && target.third < streamEnd - 2 * DAY);
  for (let i = 0; i < population(120); i++) {
    const { customer: victim, third } = random.pick(takeoverTargets);
    const firstDay = Math.floor((third - streamStart) / DAY) + 1;
    const day = random.int(firstDay, Math.min(days - 1, firstDay + 45));
    const at = randomTimeOnDay(day, random.chance(0.4) ? NIGHT_OWL_HOUR_WEIGHTS : FLAT_HOUR_WEIGHTS);
    const method = random.chance(0.85) ? newCard() : victim.methods[0];
    const orderCount = random.weighted([55, 30, 15]) + 1;
    let when = at;
    for (let o = 0; o < orderCount; o++) {
      const lines = random.chance(0.6) ? resaleLines(1, 4) : [{
        product: productOf(random.pick(["laptops", "graphics_cards", "phones", "monitors"])),
        quantity: random.int(1, 2),
      }];
      fillTo(lines, random.int(700, 4_000) * 100);
      fraudOrder(
        victim,
        when,
        lines,
        o > 0 && random.chance(0.3) ? newCard() : method,
        0.15,
        "fraud_account_takeover",
      );
      when += random.int(3, 120) * MINUTE;
    }
  }

  // Resellers: phones, GPUs and gift cards by the handful, from fresh or dormant accounts.
  for (let i = 0; i < population(100); i++) {
    const at = fraudDayTime(0.25);
    const customer = random.chance(0.5)
      ? newCustomer(at - random.int(10, 3 * 24 * 60) * MINUTE, "fraud_reseller")
      : newCustomer(existingCreatedAt(), "fraud_reseller");
    const orderCount = random.weighted([60, 25, 15]) + 1;
    let when = at;
    let method = customer.methods[0];
    for (let o = 0; o < orderCount; o++) {
      fraudOrder(customer, when, resaleLines(4, 20), method, 0.1, "fraud_reseller");
      when += random.int(10, 8 * 60) * MINUTE;
      if (random.chance(0.4)) method = newCard();
    }
  }

  // New accounts with high-value orders: created minutes to two days before buying big.
  for (let i = 0; i < population(250); i++) {
    const at = fraudDayTime(0.35);
    const customer = newCustomer(at - random.int(2, 48 * 60) * MINUTE, "fraud_new_account");
    const orderCount = random.weighted([70, 22, 8]) + 1;
    let when = at;
    let method = customer.methods[0];
    for (let o = 0; o < orderCount; o++) {
      const lines = random.chance(0.65) ? resaleLines(1, 5) : [{
        product: productOf(random.pick(["laptops", "graphics_cards", "phones"])),
        quantity: random.int(1, 2),
      }];
      fillTo(lines, random.int(900, 4_000) * 100);
      fraudOrder(customer, when, lines, method, 0.2, "fraud_new_account");
      when += random.int(2, 180) * MINUTE;
      if (random.chance(0.5)) method = newCard();
    }
  }

  // Customer ids in a shuffled order, so an id says nothing about how its customer behaves.
  const shuffled = customers.slice();
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  shuffled.forEach((customer, i) => customer.id = `C${String(i + 1).padStart(5, "0")}`);

  orders.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const rows: FraudStreamRow[] = [];
  orders.forEach((order, i) => {
    const transactionId = `T${String(i + 1).padStart(7, "0")}`;
    const timestamp = new Date(order.at).toISOString();
    const createdAt = new Date(order.customer.createdAt).toISOString();
    for (const line of order.lines) {
      rows.push({
        transaction_id: transactionId,
        timestamp,
        customer_id: order.customer.id,
        customer_created_at: createdAt,
        product_id: line.product.id,
        category: line.product.category,
        unit_price_cents: line.product.priceCents,
        quantity: line.quantity,
        payment_method: order.method,
        status: order.status,
        is_fraud: order.fraud ? 1 : 0,
        scenario: order.scenario,
      });
    }
  });
  return rows;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV text with a header line. */
export function fraudStreamToCsv(rows: readonly FraudStreamRow[]): string {
  const identity = IDENTITY_COLUMNS.filter((column) => rows.some((row) => row[column] !== undefined));
  const columns = [...FRAUD_STREAM_COLUMNS, ...identity];
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column] ?? "")).join(","));
  return lines.join("\n") + "\n";
}

/** Writes the rows as CSV to a file. */
export async function writeFraudStreamCsv(path: string, rows: readonly FraudStreamRow[]): Promise<void> {
  await Deno.writeTextFile(path, fraudStreamToCsv(rows));
}

if (import.meta.main) {
  const seedArg = Deno.args.find((arg) => arg.startsWith("--seed="));
  const path = Deno.args.find((arg) => !arg.startsWith("--")) ?? "data/fraud_stream.csv";
  const rows = generateFraudStream(seedArg ? { seed: Number(seedArg.slice(7)) } : {});
  await writeFraudStreamCsv(path, rows);
  console.log(`Wrote ${rows.length} rows to ${path}`);
}
