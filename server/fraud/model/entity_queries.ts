/**
 * The sale request's side of the model's features: entity-link counts from the indexed identity columns
 * (migration 0110) in one round trip, and category norms and the shop's amount quantiles cached in memory
 * (they move slowly, and computing them per sale would cost a scan). Only transactions before `now` count.
 */
import type { Sql, TransactionSql } from "../../db/mod.ts";
import {
  CATEGORY_NORM_MIN_LINES,
  CATEGORY_NORM_MS,
  DECLINED_STATUSES,
  type EntityStats,
  type FeatureStats,
  featureStatus,
  type PastOrder,
  SHOP_AMOUNT_MIN,
  SHOP_AMOUNT_WINDOW,
  SHOP_SLOT_MS,
  shopSlotStart,
} from "./features.ts";
import { cardKey, deviceKey, emailDomain, emailKey, ipKey, type SaleIdentity } from "./identity.ts";
import { LINK_WINDOW_MS } from "./memory.ts";
import { timedLoadCache } from "../../shared/timed_load_cache.ts";

type Db = Sql | TransactionSql;

interface EntityRow {
  kind: "device" | "ip" | "email" | "card" | "domain" | "device_seen" | "ip_seen";
  accounts: number;
  orders_1h: number;
  declines_24h: number;
  last_seen: Date | null;
}

/** Link counts of the sale's device, IP, email and card (each absent when the sale did not send it). */
export async function loadEntityStats(
  sql: Db,
  customerId: number,
  identity: SaleIdentity,
  now: Date,
): Promise<Pick<FeatureStats, "device" | "ip" | "email" | "card" | "emailDomainSeen">> {
  const device = deviceKey(identity.deviceId) ?? null;
  const ip = ipKey(identity.ipAddress) ?? null;
  const email = emailKey(identity.email) ?? null;
  const domain = emailDomain(identity.email) ?? null;
  // The replay's card key is BIN and last four, a missing last four as empty (`cardKey`): the same here
  const card = cardKey(identity.cardBin, identity.cardLast4) ? identity.cardBin!.trim() : null;
  const last4 = identity.cardLast4?.trim() ?? "";
  if (!device && !ip && !email && !card) return {};
  const since = new Date(now.getTime() - LINK_WINDOW_MS);
  // One aggregate per entity, each an index range scan on (entity, created_at); a blocked sale counts as
  // a decline (the app records no payment declines; an import may bring declined ones). A guest's row
  // (no customer, from an import) is an account of its own, as the replay keys it.
  const rows = await sql<EntityRow[]>`
    with linked as (
      select 'device' as kind, coalesce(customer_id::text, 'guest-' || id) as account, created_at, status
        from transactions
        where ${device}::text is not null and device_id = ${device} and created_at >= ${since} and created_at < ${now}
      union all
      select 'ip', coalesce(customer_id::text, 'guest-' || id), created_at, status from transactions
        where ${ip}::text is not null and ip_address = ${ip} and created_at >= ${since} and created_at < ${now}
      union all
      select 'email', coalesce(customer_id::text, 'guest-' || id), created_at, status from transactions
        where ${email}::text is not null and email = ${email} and created_at >= ${since} and created_at < ${now}
      union all
      select 'card', coalesce(customer_id::text, 'guest-' || id), created_at, status from transactions
        where ${card}::text is not null and card_bin = ${card} and ${
    // equality keeps the card index's range scan; a card without last four is the rare case
    last4 ? sql`card_last4 = ${last4}` : sql`coalesce(card_last4, '') = ''`}
          and created_at >= ${since} and created_at < ${now}
    )
    select kind,
           count(distinct account) filter (where account <> ${String(customerId)})::int as accounts,
           count(*) filter (where created_at >= ${new Date(now.getTime() - 3_600_000)})::int as orders_1h,
           count(*) filter (where status = any(${
    sql.array([...DECLINED_STATUSES])
  }::text[]) and created_at >= ${new Date(
    now.getTime() - 86_400_000,
  )})::int as declines_24h,
           max(created_at) as last_seen
    from linked group by kind
    union all
    -- When the device or address last ordered at all (not only within the window), as the replay's memory
    -- answers it: one backward index probe each.
    select 'device_seen', 0, 0, 0,
           (select max(created_at) from transactions where device_id = ${device} and created_at < ${now})
    where ${device}::text is not null
    union all
    select 'ip_seen', 0, 0, 0,
           (select max(created_at) from transactions where ip_address = ${ip} and created_at < ${now})
    where ${ip}::text is not null
    union all
    select 'domain', 0, 0, 0, null
    where ${domain}::text is not null and exists(
      select 1 from transactions
      where email is not null and split_part(email, '@', 2) = ${domain} and created_at < ${now}
    )`;
  const empty: EntityStats = { accounts: 0, orders1h: 0, declines24h: 0, lastSeenMs: null };
  const byKind = new Map(rows.map((row) => [row.kind, {
    accounts: row.accounts,
    orders1h: row.orders_1h,
    declines24h: row.declines_24h,
    lastSeenMs: row.last_seen ? new Date(row.last_seen).getTime() : null,
  }]));
  const stat = (kind: EntityRow["kind"], present: unknown) => present ? byKind.get(kind) ?? empty : undefined;
  // The device's and address's last order at any time (seconds_since_device_or_ip_seen), not only in the window.
  const seen = (kind: "device" | "ip", present: unknown): EntityStats | undefined => {
    const within = stat(kind, present);
    const at = rows.find((row) => row.kind === `${kind}_seen`)?.last_seen;
    return within && { ...within, lastSeenMs: at ? new Date(at).getTime() : null };
  };
  return {
    // Any earlier sale with this email domain, as the replay's memory counts it (new_email_domain).
    emailDomainSeen: domain === null ? undefined : rows.some((row) => row.kind === "domain"),
    device: seen("device", device),
    ip: seen("ip", ip),
    email: stat("email", email),
    card: stat("card", card),
  };
}

/**
 * One value per pool and slot (`shopSlotStart`), read as of the slot's start: every instance reads the same
 * value for a slot, whichever sale asked first, and the replay's memory takes the same snapshot. Concurrent
 * sales of a slot share one read; a failed read is not kept.
 */
function slotCache<T>(read: (sql: Sql, slotStart: Date) => Promise<T>) {
  const cache = timedLoadCache(SHOP_SLOT_MS, read);
  return (sql: Sql, now: Date): Promise<T> => cache.get(sql, new Date(shopSlotStart(now.getTime())));
}

/**
 * Typical completed line amount per category slug (geometric mean) over the 90 days before the start of
 * `now`'s slot, from the sales before it; read once per slot (10 minutes). A sale that was not declined
 * counts, refunded or cancelled since or not (`featureStatus`).
 */
export const categoryNorms = slotCache(async (sql, slotStart): Promise<Record<string, number>> => {
  const rows = await sql<{ category: string; norm: number }[]>`
    select trim(both '_' from regexp_replace(lower(p.category), '[^a-z0-9]+', '_', 'g')) as category,
           exp(avg(ln(i.unit_price_cents::float8 * i.quantity)))::float8 as norm
    from transaction_items i
    join transactions t on t.id = i.transaction_id
    join products p on p.id = i.product_id
    where t.status <> all(${sql.array([...DECLINED_STATUSES])}::text[])
      and t.created_at >= ${new Date(slotStart.getTime() - CATEGORY_NORM_MS)} and t.created_at < ${slotStart}
      and i.unit_price_cents > 0
    group by 1 having count(*) >= ${CATEGORY_NORM_MIN_LINES}`;
  return Object.fromEntries(rows.map((row) => [row.category, Number(row.norm)]));
});

/**
 * The shop's latest completed order totals before the start of `now`'s slot as 101 quantiles (as
 * `memory.ts` keeps them in a replay), read once per slot; undefined with fewer than `SHOP_AMOUNT_MIN`.
 */
export const shopAmountQuantiles = slotCache(async (sql, slotStart): Promise<number[] | undefined> => {
  const [row] = await sql<{ quantiles: number[] | null; n: number }[]>`
    select percentile_cont(array(select g / 100.0 from generate_series(0, 100) g)::float8[])
             within group (order by total_cents)::float8[] as quantiles,
           count(*)::int as n
    from (select total_cents from transactions
          where status <> all(${sql.array([...DECLINED_STATUSES])}::text[]) and created_at < ${slotStart}
          order by created_at desc limit ${SHOP_AMOUNT_WINDOW}) latest`;
  return row && row.quantiles && row.n >= SHOP_AMOUNT_MIN ? row.quantiles.map(Number) : undefined;
});

/** The customer's earlier orders as the features read them, from the history the rules already loaded. */
export function pastOrders(
  history: readonly { createdAt: Date; totalCents: number; status: string; paymentMethod: string }[],
): PastOrder[] {
  return history.map((h) => ({
    atMs: h.createdAt.getTime(),
    totalCents: h.totalCents,
    // As the replay reads it: blocked or declined is a decline, anything else (refunded since) a sale
    status: featureStatus(h.status),
    paymentMethod: h.paymentMethod,
  }));
}
