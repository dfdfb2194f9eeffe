/**
 * The in-memory counterpart of the indexed SQL the sale request runs: fed sales in time order, it answers
 * `FeatureStats` for the next sale from earlier sales only. Used by the bench, training and backtests, where
 * the whole history is replayed; labels never enter it, so no outcome from the future can leak into a score.
 */
import type { EntityStats, FeatureStats, PastOrder } from "./features.ts";
import { SHOP_AMOUNT_MIN, SHOP_AMOUNT_WINDOW } from "./features.ts";
import { cardKey, emailDomain, emailKey, ipKey, type SaleIdentity } from "./identity.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back an entity links accounts. */
export const LINK_WINDOW_MS = 30 * DAY;

interface EntityMemory {
  customers: Map<string, number>;
  /** Orders within the last 24 hours: time and whether declined. */
  recent: { atMs: number; declined: boolean }[];
  lastSeenMs: number;
}

/** A sale as the memory records it. */
export interface RememberedSale {
  customerId: string;
  atMs: number;
  totalCents: number;
  status: string;
  paymentMethod: string;
  lines: readonly { category: string; unitPriceCents: number; quantity: number }[];
  identity: SaleIdentity;
}

function entityStats(memory: EntityMemory | undefined, customerId: string, now: number): EntityStats {
  if (!memory) return { accounts: 0, orders1h: 0, declines24h: 0, lastSeenMs: null };
  let accounts = 0;
  for (const [customer, lastMs] of memory.customers) {
    if (customer !== customerId && lastMs >= now - LINK_WINDOW_MS) accounts++;
  }
  let orders1h = 0, declines24h = 0;
  for (const order of memory.recent) {
    if (order.atMs >= now - HOUR) orders1h++;
    if (order.declined && order.atMs >= now - DAY) declines24h++;
  }
  return { accounts, orders1h, declines24h, lastSeenMs: memory.lastSeenMs };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How long the shop's amount quantiles are reused before being read again. */
export const SHOP_QUANTILES_TTL_MS = 10 * 60_000;

/** 101 quantiles (0th to 100th percentile, linear between ranks), as PostgreSQL's percentile_cont. */
export function quantiles(values: readonly number[]): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  const last = sorted.length - 1;
  return Array.from({ length: 101 }, (_, i) => {
    const rank = i / 100 * last;
    const lo = Math.floor(rank);
    return sorted[lo] + (rank - lo) * ((sorted[Math.min(lo + 1, last)] ?? sorted[lo]) - sorted[lo]);
  });
}

/** Keys of the four linking entities of a sale (undefined when not sent). */
export function entityKeys(identity: SaleIdentity) {
  return {
    device: identity.deviceId?.trim() || undefined,
    ip: ipKey(identity.ipAddress),
    email: emailKey(identity.email),
    card: cardKey(identity.cardBin, identity.cardLast4),
  };
}

/** Creates an empty memory. */
export function createFeatureMemory() {
  const customers = new Map<string, PastOrder[]>();
  const entities = { device: new Map(), ip: new Map(), email: new Map(), card: new Map() } as Record<
    "device" | "ip" | "email" | "card",
    Map<string, EntityMemory>
  >;
  const categories = new Map<string, { sumLog: number; count: number }>();
  const domains = new Set<string>();
  /** The shop's latest completed totals (a ring), and their quantiles as last computed. */
  const shopTotals: number[] = [];
  let shopTotalsNext = 0;
  let shopQuantiles: { atMs: number; values: number[] } | undefined;

  /** The request caches the shop's quantiles for `SHOP_QUANTILES_TTL_MS`; the replay refreshes alike. */
  function shopAmountQuantiles(now: number): number[] | undefined {
    if (shopTotals.length < SHOP_AMOUNT_MIN) return undefined;
    if (!shopQuantiles || now - shopQuantiles.atMs >= SHOP_QUANTILES_TTL_MS) {
      shopQuantiles = { atMs: now, values: quantiles(shopTotals) };
    }
    return shopQuantiles.values;
  }

  /** Stats for a sale about to be scored at `now`, from everything remembered before it. */
  function statsFor(customerId: string, identity: SaleIdentity, now: number): FeatureStats {
    const past = customers.get(customerId) ?? [];
    const keys = entityKeys(identity);
    const categoryNormCents: Record<string, number> = {};
    for (const [category, { sumLog, count }] of categories) {
      if (count >= 5) categoryNormCents[category] = Math.exp(sumLog / count);
    }
    const domain = emailDomain(identity.email);
    const stat = (kind: keyof typeof entities, key: string | undefined) =>
      key === undefined ? undefined : entityStats(entities[kind].get(key), customerId, now);
    return {
      customerPast: past.filter((o) => o.atMs >= now - 30 * DAY),
      customerMedianCents: median(past.filter((o) => o.status === "completed").map((o) => o.totalCents)),
      categoryNormCents,
      device: stat("device", keys.device),
      ip: stat("ip", keys.ip),
      email: stat("email", keys.email),
      card: stat("card", keys.card),
      emailDomainSeen: domain === undefined ? undefined : domains.has(domain),
      shopAmountQuantiles: shopAmountQuantiles(now),
    };
  }

  /** Records a sale (after it was scored), pruning what has fallen out of every window. */
  function remember(sale: RememberedSale): void {
    let past = customers.get(sale.customerId);
    if (!past) customers.set(sale.customerId, past = []);
    past.push({
      atMs: sale.atMs,
      totalCents: sale.totalCents,
      status: sale.status,
      paymentMethod: sale.paymentMethod,
    });
    let stale = 0;
    while (stale < past.length && past[stale].atMs < sale.atMs - 90 * DAY) stale++;
    if (stale > 0) past.splice(0, stale);

    const keys = entityKeys(sale.identity);
    for (const kind of ["device", "ip", "email", "card"] as const) {
      const key = keys[kind];
      if (key === undefined) continue;
      let memory = entities[kind].get(key);
      if (!memory) entities[kind].set(key, memory = { customers: new Map(), recent: [], lastSeenMs: 0 });
      memory.customers.set(sale.customerId, sale.atMs);
      memory.recent.push({ atMs: sale.atMs, declined: sale.status === "declined" });
      let old = 0;
      while (old < memory.recent.length && memory.recent[old].atMs < sale.atMs - DAY) old++;
      if (old > 0) memory.recent.splice(0, old);
      memory.lastSeenMs = sale.atMs;
    }
    if (sale.status === "completed") {
      if (shopTotals.length < SHOP_AMOUNT_WINDOW) shopTotals.push(sale.totalCents);
      else shopTotals[shopTotalsNext] = sale.totalCents;
      shopTotalsNext = (shopTotalsNext + 1) % SHOP_AMOUNT_WINDOW;
      for (const line of sale.lines) {
        const amount = line.unitPriceCents * line.quantity;
        if (amount <= 0) continue;
        const entry = categories.get(line.category) ?? { sumLog: 0, count: 0 };
        entry.sumLog += Math.log(amount);
        entry.count++;
        categories.set(line.category, entry);
      }
    }
    const domain = emailDomain(sale.identity.email);
    if (domain) domains.add(domain);
  }

  return { statsFor, remember };
}

export type FeatureMemory = ReturnType<typeof createFeatureMemory>;
