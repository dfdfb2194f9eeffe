/**
 * The in-memory counterpart of the indexed SQL the sale request runs: fed sales in time order, it answers
 * `FeatureStats` for the next sale from earlier sales only. Used by the bench, training and backtests, where
 * the whole history is replayed; labels never enter it, so no outcome from the future can leak into a score.
 */
import type { EntityStats, FeatureStats, PastOrder } from "./features.ts";
import {
  CATEGORY_NORM_MIN_LINES,
  CATEGORY_NORM_MS,
  CUSTOMER_MEDIAN_MS,
  customerStats,
  featureStatus,
  SHOP_AMOUNT_MIN,
  SHOP_AMOUNT_WINDOW,
  shopSlotStart,
} from "./features.ts";
import { cardKey, deviceKey, emailDomain, emailKey, ipKey, type SaleIdentity } from "./identity.ts";

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
    device: deviceKey(identity.deviceId),
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
  /** Completed lines per category within the norm window (oldest first), with their running log sum. */
  const categories = new Map<string, { lines: { atMs: number; log: number }[]; sumLog: number }>();
  const domains = new Set<string>();
  /** The shop's latest completed totals (a ring). */
  const shopTotals: number[] = [];
  let shopTotalsNext = 0;
  /**
   * The shop's distributions as of the start of the current slot (`SHOP_SLOT_MS`), from the sales before
   * it, as the request reads them (`entity_queries.ts`); the quantiles are computed when first asked.
   */
  let slot:
    | { startMs: number; norms: Record<string, number>; totals?: number[]; quantiles?: number[] }
    | undefined;

  /** Moves to the slot of `now` (before anything of that slot is remembered): takes the slot's snapshot. */
  function enterSlot(now: number): void {
    const startMs = shopSlotStart(now);
    if (slot && slot.startMs === startMs) return;
    const norms: Record<string, number> = {};
    for (const [category, entry] of categories) {
      let old = 0;
      while (old < entry.lines.length && entry.lines[old].atMs < startMs - CATEGORY_NORM_MS) {
        entry.sumLog -= entry.lines[old].log;
        old++;
      }
      if (old > 0) entry.lines.splice(0, old);
      if (entry.lines.length >= CATEGORY_NORM_MIN_LINES) {
        norms[category] = Math.exp(entry.sumLog / entry.lines.length);
      }
    }
    slot = { startMs, norms, totals: shopTotals.length >= SHOP_AMOUNT_MIN ? shopTotals.slice() : undefined };
  }

  /** Stats for a sale about to be scored at `now`, from everything remembered before it. */
  function statsFor(customerId: string, identity: SaleIdentity, now: number): FeatureStats {
    enterSlot(now);
    const current = slot!;
    if (current.totals && !current.quantiles) current.quantiles = quantiles(current.totals);
    const keys = entityKeys(identity);
    const domain = emailDomain(identity.email);
    const stat = (kind: keyof typeof entities, key: string | undefined) =>
      key === undefined ? undefined : entityStats(entities[kind].get(key), customerId, now);
    return {
      ...customerStats(customers.get(customerId) ?? [], now),
      categoryNormCents: current.norms,
      device: stat("device", keys.device),
      ip: stat("ip", keys.ip),
      email: stat("email", keys.email),
      card: stat("card", keys.card),
      emailDomainSeen: domain === undefined ? undefined : domains.has(domain),
      shopAmountQuantiles: current.quantiles,
    };
  }

  /** Records a sale (after it was scored), pruning what has fallen out of every window. */
  function remember(sale: RememberedSale): void {
    enterSlot(sale.atMs);
    const status = featureStatus(sale.status);
    let past = customers.get(sale.customerId);
    if (!past) customers.set(sale.customerId, past = []);
    past.push({
      atMs: sale.atMs,
      totalCents: sale.totalCents,
      status,
      paymentMethod: sale.paymentMethod,
    });
    let stale = 0;
    while (stale < past.length && past[stale].atMs < sale.atMs - CUSTOMER_MEDIAN_MS) stale++;
    if (stale > 0) past.splice(0, stale);

    const keys = entityKeys(sale.identity);
    for (const kind of ["device", "ip", "email", "card"] as const) {
      const key = keys[kind];
      if (key === undefined) continue;
      let memory = entities[kind].get(key);
      if (!memory) entities[kind].set(key, memory = { customers: new Map(), recent: [], lastSeenMs: 0 });
      memory.customers.set(sale.customerId, sale.atMs);
      memory.recent.push({ atMs: sale.atMs, declined: status === "declined" });
      let old = 0;
      while (old < memory.recent.length && memory.recent[old].atMs < sale.atMs - DAY) old++;
      if (old > 0) memory.recent.splice(0, old);
      memory.lastSeenMs = sale.atMs;
    }
    if (status === "completed") {
      if (shopTotals.length < SHOP_AMOUNT_WINDOW) shopTotals.push(sale.totalCents);
      else shopTotals[shopTotalsNext] = sale.totalCents;
      shopTotalsNext = (shopTotalsNext + 1) % SHOP_AMOUNT_WINDOW;
      for (const line of sale.lines) {
        const amount = line.unitPriceCents * line.quantity;
        if (amount <= 0) continue;
        const entry = categories.get(line.category) ?? { lines: [], sumLog: 0 };
        const log = Math.log(amount);
        entry.lines.push({ atMs: sale.atMs, log });
        entry.sumLog += log;
        categories.set(line.category, entry);
      }
    }
    const domain = emailDomain(sale.identity.email);
    if (domain) domains.add(domain);
  }

  return { statsFor, remember };
}

export type FeatureMemory = ReturnType<typeof createFeatureMemory>;
