/**
 * Deterministic sample data for TechMart: suppliers, products, supplier offers, customers and
 * order lines as CSV. Same seed and flags, same bytes.
 *
 *   deno task generate-data [--transactions 5000] [--days 90] [--seed 20250331] [--out data/sample]
 */
import { parseArgs } from "node:util";
import { catalog } from "./catalog.ts";
import { createRandom } from "./random.ts";
import { csvLine } from "../server/import/csv_write.ts";

/** What to generate; every field has the committed sample's default. */
export interface GenerateOptions {
  /** Number of orders (one order has one or more line items). */
  transactions?: number;
  days?: number;
  seed?: number;
  /** The instant the window ends; the newest order lands just before it. */
  end?: Date;
}

/** The generated files, as CSV text keyed by file name. */
export type SampleFiles = Record<
  "suppliers.csv" | "products.csv" | "product_suppliers.csv" | "customers.csv" | "transactions.csv",
  string
>;

const dayMs = 86_400_000;
const defaultEnd = new Date("2025-03-31T00:00:00Z");

export { createRandom } from "./random.ts";

type Random = ReturnType<typeof createRandom>;

interface Supplier {
  code: string;
  name: string;
  email: string;
  country: string;
  reliability: number;
  /** Asian manufacturers are cheaper and slower than local distributors. */
  costFactor: number;
  leadTime: [number, number];
  categories: string[];
}

interface Product {
  sku: string;
  name: string;
  category: string;
  brand: string;
  priceCents: number;
  costCents: number;
  highResale: boolean;
  /** Expected units per day before trend, season and promotions. */
  baseUnits: number;
  /** Relative demand change per day (a 90-day trend of about -40% to +70%). */
  trendPerDay: number;
  stock: number;
  reorderPoint: number | null;
  serviceLevel: number;
  targetDaysOfCover: number;
}

interface Customer {
  code: string;
  name: string;
  email: string;
  country: string;
  tier: "bronze" | "silver" | "gold" | "platinum";
  createdAt: Date;
  activity: number;
}

interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

interface Order {
  createdAt: Date;
  customer: string;
  payment: string;
  channel: string;
  status: string;
  lines: OrderLine[];
  /** Set on the fraud-like bursts: which burst the order belongs to. */
  burst?: number;
}

interface Promotion {
  category: string;
  firstDay: number;
  lastDay: number;
  discount: number;
  lift: number;
}

const supplierSeeds: Omit<Supplier, "code" | "email">[] = [
  {
    name: "Northwind Components Ltd",
    country: "GB",
    reliability: 0.96,
    costFactor: 1.04,
    leadTime: [2, 5],
    categories: ["Phones", "Laptops", "Accessories", "Audio"],
  },
  {
    name: "EuroTech Distribution GmbH",
    country: "DE",
    reliability: 0.93,
    costFactor: 1.0,
    leadTime: [4, 9],
    categories: ["Laptops", "Graphics Cards", "Accessories", "Smart Home"],
  },
  {
    name: "Shenzhen Bright Star Trading Co",
    country: "CN",
    reliability: 0.81,
    costFactor: 0.9,
    leadTime: [18, 35],
    categories: ["Phones", "Audio", "Accessories", "Smart Home"],
  },
  {
    name: "Pacific Rim Electronics",
    country: "TW",
    reliability: 0.86,
    costFactor: 0.92,
    leadTime: [14, 28],
    categories: ["Graphics Cards", "Laptops", "Gaming"],
  },
  {
    name: "Atlas Wholesale plc",
    country: "GB",
    reliability: 0.91,
    costFactor: 1.02,
    leadTime: [3, 7],
    categories: ["Gaming", "Audio", "Smart Home", "Gift Cards"],
  },
  {
    name: "Nordic Gadget Supply AB",
    country: "SE",
    reliability: 0.97,
    costFactor: 1.06,
    leadTime: [5, 10],
    categories: ["Audio", "Smart Home", "Accessories"],
  },
  {
    name: "Silverline Distributors",
    country: "NL",
    reliability: 0.89,
    costFactor: 0.98,
    leadTime: [4, 8],
    categories: ["Phones", "Gaming", "Graphics Cards"],
  },
  {
    name: "Keystone Tech Supply",
    country: "IE",
    reliability: 0.94,
    costFactor: 1.01,
    leadTime: [3, 6],
    categories: ["Laptops", "Accessories", "Gift Cards"],
  },
  {
    name: "Orion Digital Wholesale",
    country: "US",
    reliability: 0.84,
    costFactor: 0.95,
    leadTime: [10, 21],
    categories: ["Gaming", "Graphics Cards", "Phones"],
  },
  {
    name: "Harbour Electronics Trading",
    country: "GB",
    reliability: 0.78,
    costFactor: 0.97,
    leadTime: [2, 6],
    categories: ["Accessories", "Audio", "Smart Home", "Gift Cards"],
  },
];

const firstNames = [
  "Oliver",
  "Amelia",
  "George",
  "Isla",
  "Harry",
  "Ava",
  "Noah",
  "Mia",
  "Jack",
  "Ivy",
  "Leo",
  "Lily",
  "Arthur",
  "Sophia",
  "Muhammad",
  "Grace",
  "Oscar",
  "Freya",
  "Charlie",
  "Emily",
  "Jacob",
  "Ella",
  "Thomas",
  "Chloe",
  "James",
  "Poppy",
  "William",
  "Evie",
  "Henry",
  "Alice",
  "Lucas",
  "Florence",
  "Liam",
  "Priya",
  "Mateo",
  "Aisha",
  "Sofia",
  "Lukas",
  "Emma",
  "Hannah",
  "Sean",
  "Aoife",
  "Pierre",
  "Camille",
  "Daan",
  "Sanne",
  "Carlos",
  "Lucia",
  "Ethan",
  "Olivia",
];
const lastNames = [
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Patel",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
  "White",
  "Roberts",
  "Green",
  "Hall",
  "Wood",
  "Jackson",
  "Clarke",
  "Khan",
  "Murphy",
  "Kelly",
  "O'Brien",
  "Müller",
  "Schmidt",
  "Dubois",
  "Martin",
  "de Vries",
  "Jansen",
  "García",
  "Fernández",
  "Rossi",
  "Novak",
  "Hughes",
  "Edwards",
  "Lewis",
  "Harris",
  "Ahmed",
  "Singh",
  "Chen",
  "Nguyen",
  "Lee",
  "Baker",
  "Turner",
  "Campbell",
  "Stewart",
  "Reid",
  "Morgan",
];
const countries = ["GB", "IE", "FR", "DE", "NL", "ES", "IT", "BE", "US", "SE"];
const countryWeights = [58, 8, 6, 7, 5, 4, 3, 3, 4, 2];
const tiers = ["bronze", "silver", "gold", "platinum"] as const;
const tierWeights = [55, 28, 13, 4];
const tierActivity = { bronze: 1, silver: 1.8, gold: 3, platinum: 5 };
const payments = ["card", "paypal", "apple_pay", "google_pay", "bank_transfer", "gift_card"];
const paymentWeights = [50, 18, 12, 8, 5, 7];
const channels = ["web", "mobile", "store", "phone", "marketplace"];
const channelWeights = [45, 30, 12, 5, 8];
// Monday first: a weekend peak strong enough for a weekly-seasonal forecast to find
const weekdayFactor = [0.85, 0.75, 0.82, 0.92, 1.1, 1.45, 1.3];
// UTC hours: quiet nights, a lunch bump, an evening peak
const hourWeights = [
  0.6,
  0.3,
  0.2,
  0.15,
  0.15,
  0.25,
  0.6,
  1.2,
  2,
  2.6,
  3,
  3.3,
  4,
  4.1,
  3.4,
  3.1,
  3.2,
  3.6,
  4.2,
  5,
  5.4,
  4.8,
  3.2,
  1.6,
];

/** Generates the sample shop; pure apart from the PRNG seeded by `seed`. */
export function generateSampleData(options: GenerateOptions = {}): SampleFiles {
  const orderCount = options.transactions ?? 5000;
  const days = options.days ?? 90;
  const random = createRandom(options.seed ?? 20250331);
  const end = options.end ?? defaultEnd;
  const start = new Date(end.getTime() - days * dayMs);

  const suppliers = makeSuppliers();
  const products = makeProducts(random, days);
  const customers = makeCustomers(random, 1000, start);
  const promotions = makePromotions(random, days);
  const orders = makeOrders(random, { orderCount, days, start, products, customers, promotions });
  setStock(random, products, orders, end);
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  // A PRNG of its own, so adding identity left every other column of the sample as it was
  const identities = makeIdentities(createRandom((options.seed ?? 20250331) ^ 0x1d3a), orders, customers);

  return {
    "suppliers.csv": toCsv(
      ["code", "name", "email", "country", "reliability"],
      suppliers.map((s) => [s.code, s.name, s.email, s.country, s.reliability.toFixed(3)]),
    ),
    "products.csv": toCsv(
      [
        "sku",
        "name",
        "category",
        "brand",
        "price_cents",
        "cost_cents",
        "stock_quantity",
        "reorder_point",
        "service_level",
        "target_days_of_cover",
      ],
      products.map((p) => [
        p.sku,
        p.name,
        p.category,
        p.brand,
        p.priceCents,
        p.costCents,
        p.stock,
        p.reorderPoint,
        p.serviceLevel.toFixed(2),
        p.targetDaysOfCover,
      ]),
    ),
    "product_suppliers.csv": toCsv(
      ["sku", "supplier_code", "unit_cost_cents", "lead_time_days", "min_order_qty", "reliability"],
      makeOffers(random, products, suppliers),
    ),
    "customers.csv": toCsv(
      ["code", "name", "email", "country", "loyalty_tier", "created_at"],
      customers.map((c) => [c.code, c.name, c.email, c.country, c.tier, c.createdAt.toISOString()]),
    ),
    "transactions.csv": toCsv(
      [
        "order_ref",
        "created_at",
        "customer_code",
        "sku",
        "quantity",
        "unit_price_cents",
        "payment_method",
        "channel",
        "status",
        ...IDENTITY_COLUMNS,
        "fraud_label",
      ],
      orders.flatMap((order, i) =>
        order.lines.map((line) => [
          `TM-${String(100001 + i)}`,
          order.createdAt.toISOString(),
          order.customer,
          line.sku,
          line.quantity,
          line.unitPriceCents,
          order.payment,
          order.channel,
          order.status,
          ...IDENTITY_COLUMNS.map((column) => identities[i][column]),
          // The bursts are the sample's fraud, known the way a shop learns it: from chargebacks
          order.burst === undefined ? "" : "fraud",
        ])
      ),
    ),
  };
}

/** The identity columns the sample's sales carry (docs/import.md), in file order. */
const IDENTITY_COLUMNS = [
  "device_id",
  "ip_address",
  "email",
  "card_bin",
  "card_last4",
  "billing_country",
  "shipping_country",
  "user_agent",
] as const;

type Identity = Record<(typeof IDENTITY_COLUMNS)[number], string>;

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
];

/**
 * Identity and context of each order: a customer keeps a device or two, a home address (a mobile one now and
 * then), their email and one card. In-store sales carry no device or address. The fraud-like bursts come from
 * a fresh device behind a hosting address, ship abroad and try a different card each time.
 */
function makeIdentities(
  random: Random,
  orders: readonly Order[],
  customers: readonly Customer[],
): Identity[] {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const device = () => Array.from({ length: 12 }, () => letters[random.int(0, 25)]).join("");
  const ip = (first: number) => [first, random.int(0, 255), random.int(0, 255), random.int(1, 254)].join(".");
  const digits = (n: number) => Array.from({ length: n }, () => random.int(0, 9)).join("");
  const bin = () => `${random.pick(["4", "5"])}${digits(5)}`;
  const profiles = new Map(customers.map((c) => [c.code, {
    email: c.email,
    country: c.country,
    devices: [device(), device()],
    agents: [random.pick(USER_AGENTS), random.pick(USER_AGENTS)],
    ip: ip(random.int(2, 190)),
    card: { bin: bin(), last4: digits(4) },
  }]));
  const bursts = new Map<number, { device: string; ip: string; agent: string; shipTo: string }>();
  return orders.map((order) => {
    const who = profiles.get(order.customer)!;
    const card = order.payment === "card";
    if (order.burst !== undefined) {
      let burst = bursts.get(order.burst);
      if (!burst) {
        burst = {
          device: device(),
          ip: ip(random.pick([45, 104, 185])),
          agent: random.pick(USER_AGENTS),
          shipTo: random.pick(["NG", "RO", "UA", "BR", "VN"]),
        };
        bursts.set(order.burst, burst);
      }
      return {
        device_id: burst.device,
        ip_address: burst.ip,
        email: who.email,
        card_bin: card ? bin() : "",
        card_last4: card ? digits(4) : "",
        billing_country: who.country,
        shipping_country: burst.shipTo,
        user_agent: burst.agent,
      };
    }
    const online = order.channel !== "store";
    const second = random.next() < 0.25 ? 1 : 0;
    return {
      device_id: online ? who.devices[second] : "",
      ip_address: online ? (random.next() < 0.15 ? ip(random.int(2, 190)) : who.ip) : "",
      email: who.email,
      card_bin: card ? who.card.bin : "",
      card_last4: card ? who.card.last4 : "",
      billing_country: who.country,
      shipping_country: random.next() < 0.03 ? random.pick(["GB", "FR", "DE", "IE"]) : who.country,
      user_agent: online ? who.agents[second] : "",
    };
  });
}

function makeSuppliers(): Supplier[] {
  return supplierSeeds.map((seed, i) => ({
    ...seed,
    code: `SUP-${String(i + 1).padStart(3, "0")}`,
    email: `orders@${seed.name.toLowerCase().split(" ")[0]}.example.com`,
  }));
}

function makeProducts(random: Random, days: number): Product[] {
  const products: Product[] = [];
  for (const category of catalog) {
    let n = 0;
    for (const line of category.lines) {
      for (const [suffix, uplift] of line.variants ?? [["", 0]]) {
        n++;
        const price = line.price + uplift;
        // Shelf prices end in .99 (whole pounds for gift cards, whose price is their face value)
        const priceCents = category.name === "Gift Cards" ? price * 100 : price * 100 - 1;
        const costCents = Math.round(priceCents * random.between(...category.costShare));
        // Cheap things sell more; a log-normal spread makes a few best sellers and a long tail
        const popularity = Math.exp(0.6 * random.normal()) * Math.min(2.5, Math.pow(300 / price, 0.35));
        const trend = random.next() < 0.7 ? random.between(-0.002, 0.003) : random.between(-0.006, 0.008);
        const reorderManual = random.next() < 0.08;
        products.push({
          sku: `${category.skuPrefix}-${String(n).padStart(4, "0")}`,
          name: [line.brand, line.model, suffix].filter(Boolean).join(" "),
          category: category.name,
          brand: line.brand,
          priceCents,
          costCents,
          highResale: category.highResale,
          baseUnits: category.dailyUnits * popularity,
          trendPerDay: trend * (90 / Math.max(days, 1)),
          stock: 0,
          reorderPoint: reorderManual ? random.int(3, 25) : null,
          serviceLevel: random.weighted([0.9, 0.95, 0.98, 0.99], [15, 60, 18, 7]),
          targetDaysOfCover: random.weighted([14, 21, 30, 45], [15, 20, 50, 15]),
        });
      }
    }
  }
  return products;
}

function makeCustomers(random: Random, count: number, windowStart: Date): Customer[] {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const tier = random.weighted(tiers, tierWeights);
    // Most customers predate the window; some sign up during it (created before their first order)
    const ageDays = random.next() < 0.85 ? random.between(0, 730) : -random.between(0, 60);
    const local = `${first}.${last}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "");
    customers.push({
      code: `CUS-${String(i + 1).padStart(5, "0")}`,
      name: `${first} ${last}`,
      email: `${local}${i + 1}@example.${random.pick(["com", "co.uk", "net", "org"])}`,
      country: random.weighted(countries, countryWeights),
      tier,
      createdAt: new Date(Math.round((windowStart.getTime() - ageDays * dayMs) / 1000) * 1000),
      activity: tierActivity[tier] * Math.exp(0.5 * random.normal()),
    });
  }
  return customers;
}

function makePromotions(random: Random, days: number): Promotion[] {
  const categories = ["Audio", "Smart Home", "Gaming", "Accessories", "Laptops"];
  const promotions: Promotion[] = [];
  for (let i = 0; i < Math.max(1, Math.round(days / 25)); i++) {
    const length = random.int(4, 7);
    const firstDay = random.int(3, Math.max(3, days - length - 3));
    promotions.push({
      category: categories[i % categories.length],
      firstDay,
      lastDay: firstDay + length - 1,
      discount: random.pick([0.1, 0.15, 0.2, 0.25]),
      lift: random.between(2, 3),
    });
  }
  return promotions;
}

function makeOrders(
  random: Random,
  plan: {
    orderCount: number;
    days: number;
    start: Date;
    products: Product[];
    customers: Customer[];
    promotions: Promotion[];
  },
): Order[] {
  const { orderCount, days, start, products, customers, promotions } = plan;
  const bursts = makeBursts(random, plan);
  const regularCount = Math.max(0, orderCount - bursts.length);

  // Orders per day follow the weekday pattern, a slight overall growth and the promotions
  const dayWeights = Array.from({ length: days }, (_, day) => {
    const date = new Date(start.getTime() + day * dayMs);
    const promo = promotions.some((p) => day >= p.firstDay && day <= p.lastDay) ? 1.25 : 1;
    return weekdayFactor[(date.getUTCDay() + 6) % 7] * (1 + 0.003 * day) * promo;
  });
  const weightSum = dayWeights.reduce((a, b) => a + b, 0);
  const perDay = largestRemainder(dayWeights.map((w) => (regularCount * w) / weightSum));

  const orders: Order[] = [];
  for (let day = 0; day < days; day++) {
    const active = promotions.filter((p) => day >= p.firstDay && day <= p.lastDay);
    const productWeights = products.map((p) => {
      const promo = active.find((a) => a.category === p.category);
      return Math.max(0.02, p.baseUnits * (1 + p.trendPerDay * day)) * (promo ? promo.lift : 1);
    });
    const eligible = customers.filter((c) => c.createdAt.getTime() < start.getTime() + (day + 1) * dayMs);
    const customerWeights = eligible.map((c) => c.activity);
    for (let k = 0; k < perDay[day]; k++) {
      const hour = random.weighted([...hourWeights.keys()], hourWeights);
      let createdAt = new Date(start.getTime() + day * dayMs + hour * 3_600_000 + random.int(0, 3599) * 1000);
      const customer = random.weighted(eligible, customerWeights);
      // A customer who signed up today cannot have ordered before signing up
      if (createdAt <= customer.createdAt) {
        createdAt = new Date(customer.createdAt.getTime() + random.int(60, 7200) * 1000);
      }
      const lineCount = random.weighted([1, 2, 3, 4], [70, 22, 6, 2]);
      const lines: OrderLine[] = [];
      for (let l = 0; l < lineCount; l++) {
        const product = random.weighted(products, productWeights);
        if (lines.some((line) => line.sku === product.sku)) continue;
        const promo = active.find((a) => a.category === product.category);
        const cheap = product.priceCents < 5000;
        lines.push({
          sku: product.sku,
          quantity: cheap ? random.weighted([1, 2, 3, 4], [60, 25, 10, 5]) : random.weighted([1, 2], [92, 8]),
          unitPriceCents: promo ? Math.round(product.priceCents * (1 - promo.discount)) : product.priceCents,
        });
      }
      orders.push({
        createdAt,
        customer: customer.code,
        payment: random.weighted(payments, paymentWeights),
        channel: random.weighted(channels, channelWeights),
        status: random.weighted(["completed", "refunded", "cancelled", "declined"], [920, 30, 25, 25]),
        lines,
      });
    }
  }
  return [...orders, ...bursts];
}

/** A few fraud-like bursts: a brand-new customer places many orders for resellable goods within minutes. */
function makeBursts(
  random: Random,
  plan: { days: number; start: Date; products: Product[]; customers: Customer[] },
): Order[] {
  const targets = plan.products.filter((p) => p.highResale && p.priceCents >= 15_000);
  if (targets.length === 0 || plan.days < 2) return [];
  const orders: Order[] = [];
  const burstCount = Math.max(1, Math.min(4, Math.round(plan.days / 20)));
  for (let b = 0; b < burstCount; b++) {
    // Reuse the newest customers as the fraudsters, re-dated to sign up minutes before the burst
    const customer = plan.customers[plan.customers.length - 1 - b];
    const day = random.int(Math.floor(plan.days / 4), plan.days - 1);
    const burstStart = plan.start.getTime() + day * dayMs + random.int(1, 4) * 3_600_000;
    customer.createdAt = new Date(burstStart - random.int(5, 30) * 60_000);
    customer.tier = "bronze";
    customer.activity = 0;
    const count = random.int(6, 12);
    for (let i = 0; i < count; i++) {
      const product = random.pick(targets);
      orders.push({
        createdAt: new Date(burstStart + i * random.int(40, 150) * 1000),
        customer: customer.code,
        payment: random.weighted(["card", "gift_card", "paypal"], [75, 15, 10]),
        channel: random.pick(["web", "mobile"]),
        status: random.weighted(["completed", "declined"], [60, 40]),
        lines: [{ sku: product.sku, quantity: random.int(1, 3), unitPriceCents: product.priceCents }],
        burst: b,
      });
    }
  }
  return orders;
}

/** Stock on hand from recent demand: most products have weeks of cover, a few are about to run out. */
function setStock(random: Random, products: Product[], orders: Order[], end: Date) {
  const recentFrom = end.getTime() - 28 * dayMs;
  const recentUnits = new Map<string, number>();
  for (const order of orders) {
    if (order.createdAt.getTime() < recentFrom || order.status !== "completed") continue;
    for (const line of order.lines) {
      recentUnits.set(line.sku, (recentUnits.get(line.sku) ?? 0) + line.quantity);
    }
  }
  for (const product of products) {
    const daily = (recentUnits.get(product.sku) ?? 0) / 28;
    const nearStockOut = random.next() < 0.08 && daily > 0.2;
    const cover = nearStockOut ? random.between(0, 5) : random.between(12, 75);
    product.stock = Math.max(nearStockOut ? 0 : 3, Math.round(daily * cover));
  }
}

function makeOffers(random: Random, products: Product[], suppliers: Supplier[]): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const product of products) {
    const candidates = suppliers.filter((s) => s.categories.includes(product.category));
    const count = Math.min(candidates.length, random.weighted([2, 3], [55, 45]));
    const chosen = shuffle(random, candidates).slice(0, count);
    chosen.sort((a, b) => a.code.localeCompare(b.code));
    for (const supplier of chosen) {
      const unitCost = Math.round(product.costCents * supplier.costFactor * random.between(0.97, 1.04));
      const moq = product.priceCents < 3000
        ? random.pick([10, 20, 50])
        : product.priceCents < 20_000
        ? random.pick([1, 5, 10])
        : random.pick([1, 1, 2, 5]);
      const reliability = Math.min(0.999, Math.max(0.5, supplier.reliability + random.between(-0.05, 0.03)));
      rows.push([
        product.sku,
        supplier.code,
        unitCost,
        random.int(...supplier.leadTime),
        moq,
        reliability.toFixed(3),
      ]);
    }
  }
  return rows;
}

// Fisher-Yates: a sort with a random comparator depends on the engine's sort algorithm
function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function largestRemainder(shares: number[]): number[] {
  const floors = shares.map(Math.floor);
  let missing = Math.round(shares.reduce((a, b) => a + b, 0)) - floors.reduce((a, b) => a + b, 0);
  const order = shares.map((s, i) => [s - Math.floor(s), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (missing-- <= 0) break;
    floors[i]++;
  }
  return floors;
}

function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return csvLine(header) + rows.map((row) => csvLine(row)).join("");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      transactions: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      out: { type: "string", default: new URL("./sample/", import.meta.url).pathname },
      "into-db": { type: "boolean", default: false },
      "database-url": { type: "string" },
    },
  });
  // Big histories stream straight into a database with COPY (data/generate_scale.ts), never into CSVs
  if (values["into-db"] || Number(values.transactions ?? 0) > 100_000) {
    const { runScaleCli } = await import("./generate_scale.ts");
    await runScaleCli({
      transactions: Number(values.transactions ?? 1_000_000),
      days: values.days ? Number(values.days) : undefined,
      seed: values.seed ? Number(values.seed) : undefined,
      databaseUrl: values["database-url"],
    });
    Deno.exit(0);
  }
  const numberFlag = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) {
      console.error(`Invalid --${name}: expected a positive whole number, got "${value}"`);
      Deno.exit(2);
    }
    return parsed;
  };
  const files = generateSampleData({
    transactions: numberFlag("transactions", values.transactions),
    days: numberFlag("days", values.days),
    seed: numberFlag("seed", values.seed),
  });
  await Deno.mkdir(values.out!, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${values.out!.replace(/\/?$/, "/")}${name}`, text);
    console.log(`${name}: ${text.split("\n").length - 2} rows`);
  }
}
