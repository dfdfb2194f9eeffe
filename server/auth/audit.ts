import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Caller } from "../trpc/roles.ts";

/** One change to record: who (the caller; null for the system), did what, to which record. */
export interface AuditEntryInput {
  caller: Caller | null;
  /** dotted verb, e.g. `transaction.refund`, `user.role_changed`, `auth.login` */
  action: string;
  /** table-like name of the record's kind, e.g. `transaction`, `product`, `user` */
  entityType: string;
  entityId?: string | number | null;
  /** what changed: small JSON (old/new values, reasons); never secrets */
  details?: Record<string, unknown>;
  ip?: string;
  requestId?: string;
}

/** Who is acting, from a procedure's context: `recordAudit(tx, { ...ctxAudit, action, ... })`. */
export type AuditContext = Pick<AuditEntryInput, "caller" | "ip" | "requestId">;

/**
 * Writes one audit entry. Call it with the `tx` of the write transaction it describes, so the
 * entry commits (or rolls back) with the change.
 * @example await recordAudit(tx, { caller: ctx.caller, action: "product.updated", entityType: "product", entityId: id, details: { priceCents } })
 */
export async function recordAudit(sql: Sql | TransactionSql, entry: AuditEntryInput): Promise<void> {
  const row = auditColumns(entry);
  await sql`
    insert into audit_log (actor_user_id, actor_name, actor_via, actor_token_id, action, entity_type,
      entity_id, details, ip, request_id)
    values (
      ${row.actor_user_id}, ${row.actor_name}, ${row.actor_via}, ${row.actor_token_id}, ${row.action},
      ${row.entity_type}, ${row.entity_id}, ${sql.json(row.details as never)}, ${row.ip}, ${row.request_id}
    )`;
}

/**
 * The `audit_log` columns of an entry. recordAudit writes them; a write done in one statement (a sale,
 * see server/transactions/sale_writes.ts) inserts them from its own CTE so the entry commits with it.
 */
export function auditColumns(entry: AuditEntryInput) {
  const caller = entry.caller;
  return {
    actor_user_id: caller ? caller.userId : null,
    actor_name: caller?.username ?? "system",
    actor_via: caller?.via ?? "system",
    actor_token_id: caller?.tokenId ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    details: entry.details ?? {},
    ip: entry.ip ?? null,
    request_id: entry.requestId ?? null,
  };
}

/** One audit entry as the admin page shows it. */
export interface AuditEntry {
  id: number;
  at: Date;
  actorName: string;
  actorVia: "session" | "token" | "system";
  action: string;
  entityType: string;
  entityId: string | null;
  /**
   * What staff call the record, read now: a customer's code and name, a sale's order reference, a product's
   * SKU and name, a user's name; null for other kinds or a record that no longer exists.
   */
  entityName: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

/** Filters of the audit list; every one optional. */
export interface AuditFilter {
  actor?: string;
  /** actions starting with this */
  action?: string;
  /** exactly this action (`auth.login` without `auth.login_failed`) */
  actionIs?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** entries with an id below this one (keyset pagination, newest first) */
  beforeId?: number;
  limit: number;
}

/** Audit entries newest first, filtered; `nextCursor` continues the list. */
export async function listAuditEntries(
  sql: Sql,
  filter: AuditFilter,
): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  const rows = await sql<AuditEntry[]>`
    select id, at, actor_name as "actorName", actor_via as "actorVia", action, entity_type as "entityType",
      entity_id as "entityId", ${entityNameColumn(sql)}, details, ip
    from audit_log a
    where true
      ${filter.actor ? sql`and lower(actor_name) = lower(${filter.actor})` : sql``}
      ${filter.action ? sql`and action like ${escapeLike(filter.action) + "%"}` : sql``}
      ${filter.actionIs ? sql`and action = ${filter.actionIs}` : sql``}
      ${filter.entityType ? sql`and entity_type = ${filter.entityType}` : sql``}
      ${filter.entityId ? sql`and entity_id = ${filter.entityId}` : sql``}
      ${filter.from ? sql`and at >= ${filter.from}` : sql``}
      ${filter.to ? sql`and at < ${filter.to}` : sql``}
      ${filter.beforeId ? sql`and id < ${filter.beforeId}` : sql``}
    order by id desc
    limit ${filter.limit + 1}`;
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
}

/**
 * The record's name as pages show it. The audit log keeps ids (a record may be renamed or deleted later);
 * the name is looked up when the log is read. The id is cast only when it is digits (CASE keeps the order).
 */
function entityNameColumn(sql: Sql) {
  return sql`
    case a.entity_type
      when 'customer' then (select c.code || ' · ' || c.name from customers c where c.id = ${numericId(sql)})
      when 'transaction' then (select t.order_ref from transactions t where t.id = ${numericId(sql)})
      when 'product' then (select p.sku || ' · ' || p.name from products p where p.id = ${numericId(sql)})
      when 'user' then (select u.username from users u where u.id = ${numericId(sql)})
    end as "entityName"`;
}

function numericId(sql: Sql) {
  return sql`(case when a.entity_id ~ '^[0-9]{1,18}$' then a.entity_id::bigint end)`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
