import type { Sql } from "../db/mod.ts";
import type { Logger } from "../log.ts";
import { getContactPoint } from "./contact_point_queries.ts";
import type { AlertLabels } from "./matchers.ts";
import type { NotifiedAlert } from "./messages.ts";
import { readRoutingSettings, type RoutingSettings } from "./routing_cache.ts";
import {
  groupKey,
  maxSendAttempts,
  mutedUntil,
  type Policy,
  retryBackoffSeconds,
  routeAlert,
  silencedBy,
} from "./routing.ts";
import { type SendSettings, sendToContactPoint } from "./send.ts";

export interface DispatchDeps {
  sql: Sql;
  log: Logger;
  timeZone: string;
  send: SendSettings;
  alertsUrl?: string;
  /** the policies and silences to route with (this instance's copy, `routingSettingsOf`); read each time without */
  routing?: (now: Date) => Promise<RoutingSettings>;
}

/** How long a claimed notification is held by the instance sending it before another may take it. */
const sendLeaseSeconds = 120;

/** Labels of alerts by id: severity, type, rule, and product and category of product alerts. */
export async function alertLabels(sql: Sql, ids: number[]): Promise<Map<number, NotifiedAlert>> {
  const rows = await sql<
    (Omit<NotifiedAlert, "labels"> & {
      rule: string | null;
      product: string | null;
      category: string | null;
    })[]
  >`
    select a.id::int, a.severity, a.type, a.status, a.title, a.message, a.created_at as "createdAt",
      a.rule_id::text as rule,
      coalesce(p.sku, a.metadata ->> 'product') as product,
      coalesce(a.metadata ->> 'category', p.category) as category
    from alerts a left join products p on a.entity_type = 'product' and p.id = a.entity_id
    where a.id = any(${ids}::bigint[])`;
  return new Map(rows.map(({ rule, product, category, ...alert }) => {
    const labels: AlertLabels = { severity: alert.severity, type: alert.type };
    if (rule) labels.rule = rule;
    if (product) labels.product = product;
    if (category) labels.category = category;
    return [alert.id, { ...alert, labels: labels as Record<string, string> }];
  }));
}

/**
 * Queues a new alert for the policies its labels route to. Every instance calls this on
 * `alert.raised`; a claim row per (alert, policy) lets only the first go on. A silenced alert is
 * recorded as such and not sent. Otherwise it joins the group's collecting notification, due after
 * group wait (or group interval after the group's last send); during a policy's mute timing that
 * notification is held until the timing ends ("held"), and then sent if its alerts still fire.
 * Returns the statuses recorded, for tests and logs.
 */
export async function enqueueAlert(deps: DispatchDeps, alertId: number, now: Date): Promise<string[]> {
  const { sql } = deps;
  const settings = await (deps.routing ? deps.routing(now) : readRoutingSettings(sql, now));
  // no policy at all (not even a default): nothing to route, so the alert need not be read
  if (settings.policies.length === 0) return [];
  const alert = (await alertLabels(sql, [alertId])).get(alertId);
  if (!alert) return [];
  const policies = routeAlert(settings.policies, alert.labels);
  const { silences } = settings;
  const recorded: string[] = [];
  for (const policy of policies) {
    const claimed = await sql`
      insert into notification_claims (alert_id, policy_id) values (${alertId}, ${policy.id})
      on conflict do nothing returning alert_id`;
    if (claimed.length === 0) continue;
    const key = groupKey(policy, alert.labels);
    const silence = silencedBy(silences, alert.labels, now);
    if (silence) {
      await sql`
        insert into notifications (policy_id, contact_point_id, group_key, alert_ids, status, due_at,
          last_error, finished_at, created_at)
        values (${policy.id}, ${policy.contactPointId}, ${key}, ${[alertId]}, 'silenced', ${now},
          ${`silence ${silence.id}`}, ${now}, ${now})`;
      recorded.push("silenced");
      continue;
    }
    const [last] = await sql<[{ at: Date }?]>`
      select max(created_at) as at from notifications
      where policy_id = ${policy.id} and group_key = ${key} and status in ('sending', 'retrying', 'sent', 'failed')
      having max(created_at) is not null`;
    const afterInterval = last ? new Date(last.at.getTime() + policy.groupIntervalSeconds * 1000) : null;
    const afterWait = new Date(now.getTime() + policy.groupWaitSeconds * 1000);
    const heldUntil = mutedUntil(policy.muteTimings, now, deps.timeZone);
    const due = afterInterval && afterInterval > now ? afterInterval : afterWait;
    const dueAt = heldUntil && heldUntil > due ? heldUntil : due;
    // a held group's notification waits for the timing's end, whatever it was due at before
    await sql`
      insert into notifications (policy_id, contact_point_id, group_key, alert_ids, due_at, held_until, created_at)
      values (${policy.id}, ${policy.contactPointId}, ${key}, ${[alertId]}, ${dueAt}, ${heldUntil}, ${now})
      on conflict (policy_id, group_key) where status = 'pending'
      do update set alert_ids = notifications.alert_ids || excluded.alert_ids,
        due_at = case when excluded.held_until is null then notifications.due_at
                      else greatest(notifications.due_at, excluded.due_at) end,
        held_until = coalesce(excluded.held_until, notifications.held_until)`;
    if (heldUntil) {
      recorded.push("held");
      continue;
    }
    recorded.push("pending");
  }
  return recorded;
}

interface ClaimedNotification {
  id: number;
  policyId: number | null;
  contactPointId: number;
  groupKey: string;
  alertIds: number[];
  attempts: number;
  heldUntil: Date | null;
}

/**
 * Sends the notifications due at `now`. Rows are claimed with `for update skip locked` and leased,
 * so with several instances each is sent by one; a failed send is retried with backoff
 * (30 s, 1 min, 2 min, ...) up to 5 attempts, then recorded as failed. Then queues repeats: a group
 * whose last notification went out a repeat interval ago and still has open alerts is sent again.
 */
export async function flushDueNotifications(deps: DispatchDeps, now: Date): Promise<number> {
  const { sql } = deps;
  await queueRepeats(sql, now);
  const claimed = await sql<ClaimedNotification[]>`
    update notifications set status = 'sending', attempts = attempts + 1,
      due_at = ${new Date(now.getTime() + sendLeaseSeconds * 1000)}
    where id in (
      select id from notifications
      where status in ('pending', 'sending', 'retrying') and due_at <= ${now}
      order by due_at limit 20 for update skip locked)
    returning id::int, policy_id::int as "policyId", contact_point_id::int as "contactPointId",
      group_key as "groupKey", alert_ids::int[] as "alertIds", attempts, held_until as "heldUntil"`;
  for (const row of claimed) await sendClaimed(deps, row, now);
  return claimed.length;
}

async function sendClaimed(deps: DispatchDeps, claimed: ClaimedNotification, now: Date): Promise<void> {
  const { sql, log } = deps;
  if (claimed.policyId !== null) {
    const [policy] = await sql<[{ muteTimings: Policy["muteTimings"] }?]>`
      select mute_timings as "muteTimings" from notification_policies where id = ${claimed.policyId}`;
    const until = policy && mutedUntil(policy.muteTimings, now, deps.timeZone);
    if (until) return await holdForMute(sql, claimed, until);
  }
  // One held by a mute timing goes out with those of its alerts still firing; the ones resolved
  // meanwhile are recorded apart, as muted, so each alert's history says what became of it.
  if (claimed.heldUntil !== null && await recordResolvedWhileMuted(sql, claimed, now)) return;
  // A group's notification carries its new alerts and those of the group still open, as Alertmanager
  // does; the repeat interval then counts from this send.
  const [{ ids }] = await sql<[{ ids: number[] }]>`
    update notifications n set alert_ids = array(
      select distinct on (a.id) a.id from (
        select unnest(n.alert_ids) as id, 0 as earlier
        union all
        select unnest(g.alert_ids), 1 from notifications g
        where g.policy_id = n.policy_id and g.group_key = n.group_key and g.id < n.id and g.status in ('sent', 'failed')
      ) a join alerts on alerts.id = a.id
      where a.earlier = 0 or alerts.status = 'open'
      order by a.id)
    where n.id = ${claimed.id}
    returning alert_ids::int[] as ids`;
  const row = {
    ...claimed,
    alertIds: [...claimed.alertIds, ...ids.filter((id) => !claimed.alertIds.includes(id))],
  };
  const alerts = await alertLabels(sql, row.alertIds);
  const point = await getContactPoint(sql, row.contactPointId);
  const outcome = await sendToContactPoint(point, {
    event: "alert.notification",
    groupKey: row.groupKey,
    alerts: row.alertIds.flatMap((id) => alerts.get(id) ?? []),
    alertsUrl: deps.alertsUrl,
  }, deps.send);
  if (outcome.ok) {
    await sql`update notifications set status = 'sent', finished_at = ${now}, last_error = null
              where id = ${row.id}`;
    return;
  }
  const giveUp = outcome.final || row.attempts >= maxSendAttempts;
  log.warn("notification failed", { notificationId: row.id, contactPoint: point.name, error: outcome.error });
  await sql`
    update notifications set status = ${giveUp ? "failed" : "retrying"}, last_error = ${outcome.error},
      due_at = ${new Date(now.getTime() + retryBackoffSeconds(row.attempts) * 1000)},
      finished_at = ${giveUp ? now : null}
    where id = ${row.id}`;
}

/**
 * Splits off the alerts of a held notification that were resolved during the mute timing, as a
 * finished 'muted' record. True when none is left to send (the notification itself is then that record).
 */
async function recordResolvedWhileMuted(sql: Sql, row: ClaimedNotification, now: Date): Promise<boolean> {
  const resolved = (await sql<{ id: number }[]>`
    select id::int from alerts where id = any(${row.alertIds}::bigint[]) and status = 'resolved'`)
    .map((a) => a.id);
  const note = "resolved during the mute timing";
  if (resolved.length === row.alertIds.length) {
    await sql`update notifications set status = 'muted', finished_at = ${now}, last_error = ${note}
              where id = ${row.id}`;
    return true;
  }
  if (resolved.length === 0) return false;
  await sql.begin(async (tx) => {
    await tx`
      insert into notifications (policy_id, contact_point_id, group_key, alert_ids, status, due_at,
        held_until, last_error, finished_at, created_at)
      select policy_id, contact_point_id, group_key, ${resolved}::bigint[], 'muted', due_at, held_until,
        ${note}, ${now}, created_at
      from notifications where id = ${row.id}`;
    await tx`
      update notifications set alert_ids = array(
        select id from unnest(alert_ids) as id where id <> all(${resolved}::bigint[]))
      where id = ${row.id}`;
  });
  row.alertIds = row.alertIds.filter((id) => !resolved.includes(id));
  return false;
}

/**
 * A notification that came due during its policy's mute timing goes back to collecting, due when the
 * timing ends. Should a new alert of its group have opened another collecting notification in the
 * meantime, its alerts join that one instead, so the group still goes out once.
 */
async function holdForMute(sql: Sql, row: ClaimedNotification, until: Date): Promise<void> {
  try {
    await sql`
      update notifications set status = 'pending', attempts = attempts - 1, due_at = ${until},
        held_until = ${until}
      where id = ${row.id}`;
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await sql.begin(async (tx) => {
      await tx`
        update notifications set alert_ids = alert_ids || ${row.alertIds}::bigint[],
          due_at = greatest(due_at, ${until}), held_until = ${until}
        where policy_id = ${row.policyId} and group_key = ${row.groupKey} and status = 'pending'`;
      await tx`delete from notifications where id = ${row.id}`;
    });
  }
}

/** A sent group that still has open alerts a repeat interval later is queued again, due now. */
async function queueRepeats(sql: Sql, now: Date): Promise<void> {
  await sql`
    insert into notifications (policy_id, contact_point_id, group_key, alert_ids, due_at, created_at)
    select n.policy_id, n.contact_point_id, n.group_key, open_ids, ${now}, ${now}
    from notifications n
    join notification_policies p on p.id = n.policy_id
    cross join lateral (
      select array_agg(a.id order by a.id) as open_ids from alerts a
      where a.id = any(n.alert_ids) and a.status = 'open') still
    where n.status = 'sent'
      and n.finished_at + make_interval(secs => p.repeat_interval_seconds) <= ${now}
      and still.open_ids is not null
      and not exists (
        select 1 from notifications later
        where later.policy_id = n.policy_id and later.group_key = n.group_key and later.id > n.id
          and later.status not in ('silenced', 'muted'))
    on conflict (policy_id, group_key) where status = 'pending' do nothing`;
}

export interface DeliveryRecord {
  id: number;
  contactPoint: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** when a mute timing held it: the timing's end */
  heldUntil: Date | null;
  /** when it is (or was last) due: the next try of one retrying, the send of one collecting */
  dueAt: Date;
}

/** The notifications an alert was part of (sent, failed, retrying, held, silenced...), newest first. */
export async function alertDeliveries(sql: Sql, alertId: number): Promise<DeliveryRecord[]> {
  return await sql<DeliveryRecord[]>`
    select n.id::int, c.name as "contactPoint", c.kind, n.status, n.attempts, n.last_error as "lastError",
      n.created_at as "createdAt", n.finished_at as "finishedAt", n.held_until as "heldUntil",
      n.due_at as "dueAt"
    from notifications n join contact_points c on c.id = n.contact_point_id
    where ${alertId}::bigint = any(n.alert_ids)
    order by n.id desc limit 100`;
}
