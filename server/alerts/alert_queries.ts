import { TRPCError } from "@trpc/server";
import type postgres from "postgres";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { CursorKey } from "../db/keyset.ts";
import { type AuditContext, recordAudit } from "../auth/audit.ts";
import type { AlertEventData as AlertEvent } from "../events/app_events.ts";
import type { EventBus, PendingEvent } from "../events/bus.ts";

export const alertSeverities = ["info", "low", "medium", "high", "critical"] as const;
export type AlertSeverity = (typeof alertSeverities)[number];
export const alertStatuses = ["open", "acknowledged", "snoozed", "resolved"] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** An alert as the API shows it; a snooze that has run out shows as open again. */
export interface AlertRow {
  id: number;
  type: string;
  severity: AlertSeverity;
  status: AlertStatus;
  title: string;
  message: string;
  entityType: string | null;
  entityId: number | null;
  dedupeKey: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/** What `alert.raised` and `alert.changed` events carry (the event map's shape, with our unions). */
export interface AlertEventData extends AlertEvent {
  severity: AlertSeverity;
  status: AlertStatus;
}

export interface RaiseAlertInput {
  type: string;
  severity: AlertSeverity;
  title: string;
  message?: string;
  entityType?: string | null;
  entityId?: number | null;
  /**
   * One unresolved alert per key: raising a key that is already open (or acknowledged, or snoozed)
   * updates that alert (title, message, metadata, `occurrences` from 1 up, severity only ever rising)
   * instead of adding one. Resolved alerts free the key. Null: always a new alert.
   */
  dedupeKey?: string | null;
  metadata?: Record<string, unknown>;
  /** the rule raising it (only the rule evaluator sets this); its webhook receives the alert */
  ruleId?: number | null;
}

/**
 * Dedupe key prefixes the server's own alerts use (rules, low stock, fraud review, failed jobs).
 * An alert raised through the API cannot take one, so nobody can claim a system alert in advance
 * or merge into it. A new kind of system alert adds its prefix here.
 */
export const systemDedupeKeyPrefixes = [
  "rule:",
  "low-stock:",
  "low_stock:",
  "out-of-stock:",
  "out_of_stock:",
  "fraud-review:",
  "fraud_review:",
  "job_failed:",
  "job-failed:",
] as const;

/** Whether `key` belongs to the server's own alerts (see systemDedupeKeyPrefixes), in any letter case. */
export function isSystemDedupeKey(key: string): boolean {
  const lower = key.trim().toLowerCase();
  return systemDedupeKeyPrefixes.some((prefix) => lower.startsWith(prefix));
}

type Queryable = Sql | TransactionSql;

const columns = (sql: Queryable) =>
  sql`
  id, type, severity,
  case when status = 'snoozed' and snoozed_until <= now() then 'open' else status end as status,
  title, message, entity_type as "entityType", entity_id as "entityId", dedupe_key as "dedupeKey", metadata,
  created_at as "createdAt", updated_at as "updatedAt", acknowledged_at as "acknowledgedAt",
  snoozed_until as "snoozedUntil", resolved_at as "resolvedAt", resolution_note as "resolutionNote"`;

/** The severities from lowest to highest, as an SQL array (a severity's rank is its position). */
const severityOrder = (sql: Queryable) => sql`array['info', 'low', 'medium', 'high', 'critical']`;

/**
 * The upsert of an alert whose dedupe key has an open alert already: one alert per key, its title and
 * message the newest, its severity the highest seen, and `occurrences` up by the new row's own count
 * (1 for `raiseAlert`, the merged count for `raiseAlertsOfNewRowsCte`).
 */
function mergeIntoOpenAlert(sql: Queryable) {
  const order = severityOrder(sql);
  return sql`
    on conflict (dedupe_key) where status <> 'resolved' and dedupe_key is not null do update
      set title = excluded.title,
          message = excluded.message,
          severity = case
            when array_position(${order}, excluded.severity) > array_position(${order}, alerts.severity)
            then excluded.severity else alerts.severity end,
          metadata = alerts.metadata || excluded.metadata || jsonb_build_object(
            'occurrences', coalesce((alerts.metadata ->> 'occurrences')::int, 1)
              + (excluded.metadata ->> 'occurrences')::int),
          updated_at = now()`;
}

/**
 * Raises an alert inside the caller's transaction, deduplicated on `dedupeKey` (see
 * RaiseAlertInput). Every domain raises alerts through this (low stock:
 * `dedupeKey: "low_stock:product:42"`, fraud review: `"fraud_review:transaction:7"`, rules:
 * `"rule:3"`). After the transaction commits, publish the result with `publishAlert(bus, result)`:
 * `alert.raised` when `created`, `alert.changed` otherwise; that also triggers webhook delivery.
 * @param tx the caller's transaction (or the pool for a one-statement raise)
 * @returns the alert and whether it is new
 * @example
 * const raised = await sql.begin((tx) => raiseAlert(tx, { type: "low_stock", severity: "high",
 *   title: "Low stock: USB-C cable", entityType: "product", entityId: 42, dedupeKey: "low_stock:product:42" }));
 * await publishAlert(ctx.bus, raised);
 */
export async function raiseAlert(
  tx: Queryable,
  input: RaiseAlertInput,
): Promise<{ alert: AlertRow; created: boolean }> {
  const [row] = await tx<[AlertRow & { created: boolean }]>`
    insert into alerts (type, severity, title, message, entity_type, entity_id, dedupe_key, metadata, rule_id)
    values (${input.type}, ${input.severity}, ${input.title}, ${input.message ?? ""}, ${
    input.entityType ?? null
  },
            ${input.entityId ?? null}, ${input.dedupeKey ?? null}, ${
    tx.json({ ...input.metadata, occurrences: 1 } as never)
  }, ${input.ruleId ?? null})
    ${mergeIntoOpenAlert(tx)}
    returning ${columns(tx)}, (xmax = 0) as created`;
  const { created, ...alert } = row;
  return { alert, created };
}

/**
 * An alert about a row that the statement raising it also inserts (a sale's fraud alert): the row's id
 * is not known before, so the message names it between `messageAroundId[0]` and `[1]`, and the
 * metadata carries it under `idKey`. Always deduplicated.
 */
export interface AlertOfNewRow extends Omit<RaiseAlertInput, "message" | "dedupeKey" | "ruleId"> {
  dedupeKey: string;
  messageAroundId: [string, string];
  idKey: string;
}

/** What `raiseAlertsOfNewRows` returns for each alert it raised or updated, in dedupe key order. */
export type RaisedOfNewRows = AlertRow & { created: boolean };

/**
 * A CTE named `raised_alerts` that raises the alerts of rows the same statement inserts, with
 * `raiseAlert`'s rules, in that one statement: so they commit with their rows, or not at all.
 * `rows` is a query of the statement giving each new row's `id` and a `ref` the caller chose;
 * `alerts` name their row by that `ref`. Alerts sharing a dedupe key are merged first (a statement
 * may touch a row once): the last one's title, message and metadata, the highest severity, and
 * `occurrences` up by their count. Rows are written in dedupe key order, so two such statements never
 * wait on each other in a cycle; `after` is a condition without columns that the statement's earlier
 * locks must be taken to evaluate (say, a count over its locked products): no alert row is locked
 * before them. Select `raised_alerts` as JSON and read it with `raisedOfNewRows`.
 */
export function raiseAlertsOfNewRowsCte(
  sql: Queryable,
  rows: postgres.Fragment,
  alerts: { ref: string; alert: AlertOfNewRow }[],
  after: postgres.Fragment,
) {
  const records = alerts.map(({ ref, alert }, position) => ({
    ref,
    position,
    type: alert.type,
    severity: alert.severity,
    title: alert.title,
    before_id: alert.messageAroundId[0],
    after_id: alert.messageAroundId[1],
    entity_type: alert.entityType ?? null,
    entity_id: alert.entityId ?? null,
    dedupe_key: alert.dedupeKey,
    metadata: alert.metadata ?? {},
    id_key: alert.idKey,
  }));
  const order = severityOrder(sql);
  return sql`
    raised_alerts as (
      insert into alerts (type, severity, title, message, entity_type, entity_id, dedupe_key, metadata)
      select type, severity, title, message, entity_type, entity_id, dedupe_key,
        metadata || jsonb_build_object('occurrences', n)
      from (
        select distinct on (a.dedupe_key) a.type,
          (${order})[max(array_position(${order}, a.severity))
            over (partition by a.dedupe_key)] as severity,
          a.title, a.before_id || r.id || a.after_id as message, a.entity_type, a.entity_id, a.dedupe_key,
          a.metadata || jsonb_build_object(a.id_key, r.id) as metadata,
          count(*) over (partition by a.dedupe_key) as n
        from ${rows} r
        join jsonb_to_recordset(${sql.json(records as never)}) as a(ref text, position int, type text,
          severity text, title text, before_id text, after_id text, entity_type text, entity_id bigint,
          dedupe_key text, metadata jsonb, id_key text) using (ref)
        where ${after}
        order by a.dedupe_key, a.position desc
      ) merged
      order by dedupe_key
      ${mergeIntoOpenAlert(sql)}
      returning ${columns(sql)}, (xmax = 0) as created
    )`;
}

/** The alerts `raiseAlertsOfNewRowsCte` raised, from their JSON (times as Dates). */
export function raisedOfNewRows(json: Record<string, unknown>[] | null): RaisedOfNewRows[] {
  const at = (value: unknown) => value === null || value === undefined ? null : new Date(value as string);
  return (json ?? []).map((row) => ({
    ...(row as unknown as RaisedOfNewRows),
    id: Number(row.id),
    entityId: row.entityId === null ? null : Number(row.entityId),
    createdAt: new Date(row.createdAt as string),
    updatedAt: new Date(row.updatedAt as string),
    acknowledgedAt: at(row.acknowledgedAt),
    snoozedUntil: at(row.snoozedUntil),
    resolvedAt: at(row.resolvedAt),
  }));
}

/**
 * The alert of each input in order, as `raiseAlert` would answer for it: the first input of an alert
 * that the statement created gets `created: true`, the others of its key an update.
 */
export function raisedPerInput(
  dedupeKeys: (string | null)[],
  raised: RaisedOfNewRows[],
): ({ alert: AlertRow; created: boolean } | null)[] {
  const byKey = new Map(raised.map(({ created, ...alert }) => [alert.dedupeKey, { alert, created }]));
  const seen = new Set<string>();
  return dedupeKeys.map((key) => {
    const found = key === null ? undefined : byKey.get(key);
    if (!found || key === null) return null;
    const first = !seen.has(key);
    seen.add(key);
    return { alert: found.alert, created: found.created && first };
  });
}

/** The event payload of an alert. */
export function alertEventData(alert: AlertRow): AlertEventData {
  return {
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    status: alert.status,
    title: alert.title,
    entityType: alert.entityType,
    entityId: alert.entityId,
    dedupeKey: alert.dedupeKey,
  };
}

/** The event of a raised or updated alert: `alert.raised` when it is new, `alert.changed` otherwise. */
export function alertEvent(
  result: { alert: AlertRow; created: boolean },
): PendingEvent<"alert.raised" | "alert.changed"> {
  return { type: result.created ? "alert.raised" : "alert.changed", data: alertEventData(result.alert) };
}

/** Publishes `alert.raised` for a new alert, `alert.changed` for an updated one (after commit). */
export async function publishAlert(
  bus: Pick<EventBus, "publish">,
  result: { alert: AlertRow; created: boolean },
): Promise<void> {
  const event = alertEvent(result);
  await bus.publish(event.type, event.data);
}

export interface AlertFilters {
  severity?: AlertSeverity;
  type?: string;
  status?: AlertStatus;
  entityType?: string;
  entityId?: number;
}

/** A page of alerts, newest first, after the keyset `after` ([createdAt ISO, id]). */
export async function listAlerts(
  sql: Sql,
  filters: AlertFilters,
  page: { after?: CursorKey; limit: number },
): Promise<AlertRow[]> {
  const where = [sql`true`];
  if (filters.severity) where.push(sql`severity = ${filters.severity}`);
  if (filters.type) where.push(sql`type = ${filters.type}`);
  if (filters.entityType) where.push(sql`entity_type = ${filters.entityType}`);
  if (filters.entityId !== undefined) where.push(sql`entity_id = ${filters.entityId}`);
  if (filters.status === "open") {
    where.push(sql`(status = 'open' or (status = 'snoozed' and snoozed_until <= now()))`);
  } else if (filters.status === "snoozed") {
    where.push(sql`status = 'snoozed' and snoozed_until > now()`);
  } else if (filters.status) {
    where.push(sql`status = ${filters.status}`);
  }
  if (page.after) {
    where.push(sql`(created_at, id) < (${String(page.after[0])}::timestamptz, ${page.after[1]})`);
  }
  const condition = where.reduce((all, part) => sql`${all} and ${part}`);
  return await sql<AlertRow[]>`
    select ${columns(sql)} from alerts where ${condition}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
}

/** One alert; NOT_FOUND when there is none. */
export async function getAlert(sql: Queryable, id: number): Promise<AlertRow> {
  const [row] = await sql<[AlertRow?]>`select ${columns(sql)} from alerts where id = ${id}`;
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No alert with id ${id}` });
  return row;
}

/**
 * One alert and the webhook of the enabled rule that raised it (its `rule_id`), in one read: what a
 * new alert's webhook delivery needs. `undefined` when there is no such alert.
 */
export async function getAlertWithRuleWebhook(
  sql: Queryable,
  id: number,
): Promise<{ alert: AlertRow; ruleWebhook: { url: string; secret: string | null } | null } | undefined> {
  const [row] = await sql<
    [(AlertRow & { ruleWebhookUrl: string | null; ruleWebhookSecret: string | null })?]
  >`
    select ${columns(sql)}, w.url as "ruleWebhookUrl", w.secret as "ruleWebhookSecret"
    from alerts
    left join lateral (
      select r.webhook_url as url, r.webhook_secret as secret from alert_rules r
      where r.id = alerts.rule_id and r.enabled
    ) w on true
    where alerts.id = ${id}`;
  if (!row) return undefined;
  const { ruleWebhookUrl, ruleWebhookSecret, ...alert } = row;
  return { alert, ruleWebhook: ruleWebhookUrl ? { url: ruleWebhookUrl, secret: ruleWebhookSecret } : null };
}

async function transition(
  sql: Sql,
  id: number,
  verb: "acknowledge" | "snooze" | "resolve",
  change: (tx: TransactionSql, current: AlertRow) => Promise<void>,
  audit?: AuditContext,
): Promise<AlertRow> {
  return await sql.begin(async (tx) => {
    const [locked] = await tx`select id from alerts where id = ${id} for update`;
    if (!locked) throw new TRPCError({ code: "NOT_FOUND", message: `No alert with id ${id}` });
    const current = await getAlert(tx, id);
    if (current.status === "resolved") {
      throw new TRPCError({
        code: "CONFLICT",
        message: `Cannot ${verb} alert ${id}: it is already resolved`,
      });
    }
    await change(tx, current);
    const changed = await getAlert(tx, id);
    if (audit) {
      await recordAudit(tx, {
        ...audit,
        action: `alert.${verb === "snooze" ? "snoozed" : `${verb}d`}`,
        entityType: "alert",
        entityId: id,
        details: { title: changed.title, from: current.status, to: changed.status },
      });
    }
    return changed;
  });
}

/** Marks an unresolved alert as seen. */
export function acknowledgeAlert(sql: Sql, id: number, by: string, audit?: AuditContext): Promise<AlertRow> {
  return transition(sql, id, "acknowledge", async (tx) => {
    await tx`
      update alerts set status = 'acknowledged', acknowledged_at = now(), snoozed_until = null, updated_at = now(),
                        metadata = metadata || ${tx.json({ acknowledgedBy: by })}
      where id = ${id}`;
  }, audit);
}

/** Hides an unresolved alert until `until`; it shows as open again afterwards. */
export function snoozeAlert(
  sql: Sql,
  id: number,
  until: Date,
  by: string,
  audit?: AuditContext,
): Promise<AlertRow> {
  return transition(sql, id, "snooze", async (tx) => {
    await tx`
      update alerts set status = 'snoozed', snoozed_until = ${until}, updated_at = now(),
                        metadata = metadata || ${tx.json({ snoozedBy: by })}
      where id = ${id}`;
  }, audit);
}

/** Resolves an alert with a note; its dedupe key is free again. CONFLICT when already resolved. */
export function resolveAlert(
  sql: Sql,
  id: number,
  note: string,
  by: string,
  audit?: AuditContext,
): Promise<AlertRow> {
  return transition(sql, id, "resolve", async (tx) => {
    await tx`
      update alerts set status = 'resolved', resolved_at = now(), resolution_note = ${note}, updated_at = now(),
                        snoozed_until = null, metadata = metadata || ${tx.json({ resolvedBy: by })}
      where id = ${id}`;
  }, audit);
}

/** Deletes an alert for good; NOT_FOUND when there is none. */
export async function deleteAlert(sql: Sql, id: number, audit?: AuditContext): Promise<AlertRow> {
  return await sql.begin(async (tx) => {
    const alert = await getAlert(tx, id);
    await tx`delete from alerts where id = ${id}`;
    if (audit) {
      await recordAudit(tx, {
        ...audit,
        action: "alert.deleted",
        entityType: "alert",
        entityId: id,
        details: { title: alert.title, status: alert.status },
      });
    }
    return alert;
  });
}
