import type { Sql, TransactionSql } from "../db/mod.ts";

export const integrationKinds = ["shopify", "generic"] as const;
export type IntegrationKind = (typeof integrationKinds)[number];

export interface Integration {
  id: number;
  kind: IntegrationKind;
  name: string;
  enabled: boolean;
  createdAt: Date;
}

/** An integration with its signing secret: for checking signatures, never for an answer. */
export interface SigningIntegration extends Integration {
  secret: string;
}

export interface Delivery {
  id: number;
  integrationId: number | null;
  receivedAt: Date;
  topic: string;
  externalId: string | null;
  outcome: "created" | "updated" | "unchanged" | "stale" | "rejected" | "unsigned";
  message: string;
  transactionId: number | null;
}

export async function insertIntegration(
  tx: TransactionSql,
  input: { kind: IntegrationKind; name: string; secret: string; createdBy: number | null },
): Promise<Integration> {
  const [row] = await tx<Integration[]>`
    insert into integrations (kind, name, secret, created_by)
    values (${input.kind}, ${input.name}, ${input.secret}, ${input.createdBy || null})
    returning id, kind, name, enabled, created_at as "createdAt"`;
  return row;
}

export function listIntegrations(sql: Sql): Promise<Integration[]> {
  return sql<Integration[]>`
    select id, kind, name, enabled, created_at as "createdAt" from integrations order by id`;
}

/** The enabled integrations of a kind, with secrets: a delivery is theirs when its signature matches. */
export function signingIntegrations(sql: Sql, kind: IntegrationKind): Promise<SigningIntegration[]> {
  return sql<SigningIntegration[]>`
    select id, kind, name, enabled, created_at as "createdAt", secret
    from integrations where kind = ${kind} and enabled order by id`;
}

export async function setIntegrationEnabled(
  tx: TransactionSql,
  id: number,
  enabled: boolean,
): Promise<boolean> {
  const rows = await tx`update integrations set enabled = ${enabled} where id = ${id} returning id`;
  return rows.length === 1;
}

export async function recordDelivery(sql: Sql, delivery: Omit<Delivery, "id" | "receivedAt">): Promise<void> {
  await sql`
    insert into integration_deliveries (integration_id, topic, external_id, outcome, message, transaction_id)
    values (${delivery.integrationId}, ${delivery.topic}, ${delivery.externalId}, ${delivery.outcome},
      ${delivery.message.slice(0, 2000)}, ${delivery.transactionId})`;
}

/** The newest deliveries, of one integration or of all. */
export function listDeliveries(
  sql: Sql,
  options: { integrationId?: number; limit: number },
): Promise<Delivery[]> {
  return sql<Delivery[]>`
    select id, integration_id as "integrationId", received_at as "receivedAt", topic, external_id as "externalId",
      outcome, message, transaction_id as "transactionId"
    from integration_deliveries
    where ${options.integrationId === undefined ? sql`true` : sql`integration_id = ${options.integrationId}`}
    order by id desc limit ${options.limit}`;
}

export interface OrderLink {
  transactionId: number;
  updatedAt: Date;
}

export async function findOrderLink(
  sql: Sql,
  integrationId: number,
  externalId: string,
): Promise<OrderLink | null> {
  const [row] = await sql<OrderLink[]>`
    select transaction_id as "transactionId", updated_at as "updatedAt"
    from integration_orders where integration_id = ${integrationId} and external_id = ${externalId}`;
  return row ?? null;
}

/** Links the platform's order to our transaction; the first link wins (a concurrent duplicate changes nothing). */
export async function linkOrder(
  sql: Sql,
  link: { integrationId: number; externalId: string; transactionId: number; updatedAt: Date },
): Promise<void> {
  await sql`
    insert into integration_orders (integration_id, external_id, transaction_id, updated_at)
    values (${link.integrationId}, ${link.externalId}, ${link.transactionId}, ${link.updatedAt})
    on conflict (integration_id, external_id) do nothing`;
}

/** Moves the link's clock forward only: @returns false when a newer event was already applied. */
export async function advanceOrderLink(
  sql: Sql,
  integrationId: number,
  externalId: string,
  updatedAt: Date,
): Promise<boolean> {
  const rows = await sql`
    update integration_orders set updated_at = ${updatedAt}
    where integration_id = ${integrationId} and external_id = ${externalId} and updated_at < ${updatedAt}
    returning 1`;
  return rows.length === 1;
}

/** Our customer for a platform's buyer (keyed by e-mail, as the import mappings key them), made on first sight. */
export async function customerForEmail(
  sql: Sql,
  customer: { email: string; name: string; country: string | null },
): Promise<number> {
  const [created] = await sql<{ id: number }[]>`
    insert into customers (code, name, email, country, loyalty_tier, created_at)
    values (${customer.email}, ${
    customer.name.slice(0, 200)
  }, ${customer.email}, ${customer.country}, 'bronze', now())
    on conflict (code) do nothing returning id`;
  if (created) return created.id;
  const [existing] = await sql<{ id: number }[]>`select id from customers where code = ${customer.email}`;
  return existing.id;
}

/** Product ids by SKU; unknown SKUs are missing from the map. */
export async function productIdsBySku(sql: Sql, skus: string[]): Promise<Map<string, number>> {
  const rows = await sql<{ id: number; sku: string }[]>`
    select id, sku from products where sku = any(${sql.array(skus)}::text[])`;
  return new Map(rows.map((row) => [row.sku, row.id]));
}
