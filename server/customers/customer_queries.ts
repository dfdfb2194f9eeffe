import type { Sql } from "../db/mod.ts";
import { type CursorKey, keysetClauses } from "../db/keyset.ts";
import { likePattern } from "../products/product_queries.ts";

export const loyaltyTiers = ["bronze", "silver", "gold", "platinum"] as const;
export type LoyaltyTier = (typeof loyaltyTiers)[number];

/** A customer as lists show it. */
export interface CustomerSummary {
  id: number;
  code: string;
  name: string;
  email: string | null;
  country: string | null;
  loyaltyTier: LoyaltyTier;
  createdAt: Date;
}

/** What a customer has bought so far (completed transactions only). */
export interface CustomerStats {
  orders: number;
  spentCents: number;
  averageOrderCents: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  refundedOrders: number;
}

export interface CustomerRecentTransaction {
  id: number;
  orderRef: string;
  status: string;
  totalCents: number;
  itemCount: number;
  fraudScore: number;
  createdAt: Date;
}

export interface CustomerDetail extends CustomerSummary {
  stats: CustomerStats;
  /** the RFM segment from the last purchase-pattern run, when there was one */
  segment: string | null;
  recentTransactions: CustomerRecentTransaction[];
}

export const customerSorts = ["name", "id"] as const;
export type CustomerSort = (typeof customerSorts)[number];

export interface CustomerListFilter {
  search?: string;
  tier?: LoyaltyTier;
  sort: CustomerSort;
  order: "asc" | "desc";
  after?: CursorKey;
  limit: number;
}

/** Reads the sort key a row carries in a cursor. */
export function customerCursorKey(customer: CustomerSummary, sort: CustomerSort): CursorKey {
  return [sort === "name" ? customer.name : customer.id, customer.id];
}

const summaryColumns = `c.id, c.code, c.name, c.email, c.country, c.loyalty_tier as "loyaltyTier",
  c.created_at as "createdAt"`;

/** One page of customers (`limit + 1` rows: the extra one says there is a next page). */
export function listCustomers(sql: Sql, filter: CustomerListFilter): Promise<CustomerSummary[]> {
  const keyset = keysetClauses(sql, {
    column: filter.sort === "name" ? "c.name" : "c.id",
    id: "c.id",
    order: filter.order,
    after: filter.after,
  });
  const pattern = filter.search ? likePattern(filter.search) : undefined;
  return sql<CustomerSummary[]>`
    select ${sql.unsafe(summaryColumns)}
    from customers c
    where true
      ${
    pattern
      ? sql`and (lower(c.name) like ${pattern} or lower(c.code) like ${pattern} or lower(coalesce(c.email, '')) like ${pattern})`
      : sql``
  }
      ${filter.tier ? sql`and c.loyalty_tier = ${filter.tier}` : sql``}
      ${keyset.where}
    order by ${keyset.orderBy}
    limit ${filter.limit + 1}`;
}

/** A customer with purchase figures and latest transactions, or undefined when there is none. */
export async function findCustomer(sql: Sql, id: number): Promise<CustomerDetail | undefined> {
  const [customer] = await sql<[CustomerSummary?]>`
    select ${sql.unsafe(summaryColumns)} from customers c where c.id = ${id}`;
  if (!customer) return undefined;
  const [[stats], [pattern], recentTransactions] = await Promise.all([
    sql<[CustomerStats]>`
      select count(*) filter (where status = 'completed')::int as orders,
        coalesce(sum(total_cents - refunded_cents) filter (where status = 'completed'), 0)::bigint as "spentCents",
        coalesce(round(avg(total_cents - refunded_cents) filter (where status = 'completed')), 0)::bigint as "averageOrderCents",
        min(created_at) filter (where status = 'completed') as "firstOrderAt",
        max(created_at) filter (where status = 'completed') as "lastOrderAt",
        count(*) filter (where status = 'refunded')::int as "refundedOrders"
      from transactions
      where customer_id = ${id}`,
    sql<[{ segment: string }?]>`select segment from customer_purchase_patterns where customer_id = ${id}`,
    sql<CustomerRecentTransaction[]>`
      select id, order_ref as "orderRef", status, total_cents as "totalCents", item_count as "itemCount",
        fraud_score as "fraudScore", created_at as "createdAt"
      from transactions
      where customer_id = ${id}
      order by created_at desc, id desc
      limit 10`,
  ]);
  return { ...customer, stats, segment: pattern?.segment ?? null, recentTransactions };
}
