import { type EventBus, publishAfterCommit } from "../events/bus.ts";
import { TRPCError } from "@trpc/server";
import { hashToken, randomSecret } from "../auth/secret_tokens.ts";
import type { Sql } from "../db/mod.ts";
import {
  buildDailySalesReport,
  type DailySalesReport,
  getDailySalesReport,
} from "../reports/report_queries.ts";
import type { Logger } from "../log.ts";
import { sendEmail, type SmtpSettings } from "./email.ts";
import { dueReportKey, reportEmail, type ReportPeriod, weekDates } from "./report_email.ts";

export interface ReportSubscription {
  id: number;
  userId: number;
  email: string;
  period: ReportPeriod;
  sendHour: number;
  createdAt: Date;
}

const columns = (sql: Sql) =>
  sql`id::int, user_id::int as "userId", email, period, send_hour as "sendHour", created_at as "createdAt"`;

export async function listSubscriptions(sql: Sql, userId: number): Promise<ReportSubscription[]> {
  return await sql<ReportSubscription[]>`
    select ${columns(sql)} from report_subscriptions
    where user_id = ${userId} and unsubscribed_at is null order by period`;
}

/**
 * Subscribes a user to a report (or changes the address and hour of the subscription they have).
 * Returns it with the unsubscribe token, which only the emails carry afterwards.
 */
export async function subscribe(
  sql: Sql,
  input: { userId: number; email: string; period: ReportPeriod; sendHour: number },
): Promise<ReportSubscription & { unsubscribeToken: string }> {
  const token = randomSecret();
  const [row] = await sql<ReportSubscription[]>`
    insert into report_subscriptions (user_id, email, period, send_hour, unsubscribe_token_hash)
    values (${input.userId}, ${input.email}, ${input.period}, ${input.sendHour}, ${hashToken(token)})
    on conflict (user_id, period) do update set email = excluded.email, send_hour = excluded.send_hour,
      unsubscribe_token_hash = excluded.unsubscribe_token_hash, unsubscribed_at = null
    returning ${columns(sql)}`;
  return { ...row, unsubscribeToken: token };
}

/** Ends a subscription by the token of its emails' link; NOT_FOUND for an unknown or used token. */
export async function unsubscribeByToken(sql: Sql, token: string): Promise<{ period: ReportPeriod }> {
  const [row] = await sql<[{ period: ReportPeriod }?]>`
    update report_subscriptions set unsubscribed_at = now()
    where unsubscribe_token_hash = ${hashToken(token)} and unsubscribed_at is null
    returning period`;
  if (!row) {
    throw new TRPCError({ code: "NOT_FOUND", message: "This unsubscribe link is unknown or was used" });
  }
  return row;
}

/** Ends a subscription: the user's own, or anyone's when `userId` is null (managers). */
export async function unsubscribeOwn(sql: Sql, userId: number | null, id: number): Promise<void> {
  const rows = await sql`
    update report_subscriptions set unsubscribed_at = now()
    where id = ${id} and (${userId}::bigint is null or user_id = ${userId}) and unsubscribed_at is null
    returning id`;
  if (rows.length === 0) {
    throw new TRPCError({ code: "NOT_FOUND", message: `Subscription ${id} does not exist` });
  }
}

/** A subscription as the Subscriptions tab lists it for managers: whose, its state and last email. */
export interface SubscriptionOverview extends ReportSubscription {
  username: string;
  /** set once ended, by the email's link or on the Subscriptions tab */
  unsubscribedAt: Date | null;
  lastDelivery: { periodKey: string; status: string; at: Date } | null;
}

/** Every report subscription, ended ones too (newest end last), with each one's last email. */
export async function listAllSubscriptions(sql: Sql): Promise<SubscriptionOverview[]> {
  const rows = await sql<
    (SubscriptionOverview & { lastKey: string | null; lastStatus: string; lastAt: Date })[]
  >`
    select s.id::int, s.user_id::int as "userId", u.username, s.email, s.period, s.send_hour as "sendHour",
      s.created_at as "createdAt", s.unsubscribed_at as "unsubscribedAt",
      d.period_key as "lastKey", d.status as "lastStatus", coalesce(d.sent_at, d.created_at) as "lastAt"
    from report_subscriptions s join users u on u.id = s.user_id
    left join lateral (
      select * from report_deliveries d where d.subscription_id = s.id order by d.created_at desc limit 1
    ) d on true
    order by s.unsubscribed_at is not null, u.username, s.period`;
  return rows.map(({ lastKey, lastStatus, lastAt, ...row }) => ({
    ...row,
    lastDelivery: lastKey === null ? null : { periodKey: lastKey, status: lastStatus, at: lastAt },
  }));
}

export interface ReportDeliveryRow {
  period: ReportPeriod;
  periodKey: string;
  status: string;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A user's report deliveries, newest first. */
export async function reportDeliveryHistory(sql: Sql, userId: number): Promise<ReportDeliveryRow[]> {
  return await sql<ReportDeliveryRow[]>`
    select s.period, d.period_key as "periodKey", d.status, d.error, d.created_at as "createdAt",
      d.sent_at as "sentAt"
    from report_deliveries d join report_subscriptions s on s.id = d.subscription_id
    where s.user_id = ${userId} order by d.created_at desc limit 100`;
}

export interface ReportDeliveryDeps {
  sql: Sql;
  log: Logger;
  timeZone: string;
  currency: string;
  locale: string;
  smtp: SmtpSettings | null;
  /** where unsubscribe links point: PUBLIC_URL */
  baseUrl: string;
  /** tells open Subscriptions tabs that an email went out or failed */
  bus: EventBus;
}

async function dailyReport(sql: Sql, date: string, timeZone: string): Promise<DailySalesReport> {
  return await getDailySalesReport(sql, date) ?? await buildDailySalesReport(sql, { date, timeZone });
}

/**
 * Emails every report due at `now` (store-local send hour passed) that its subscription has not
 * received. The (subscription, period) row is the claim: with several instances one sends it.
 * The unsubscribe token is renewed with each email (only its hash is kept). Returns how many went out.
 */
export async function deliverDueReports(deps: ReportDeliveryDeps, now: Date): Promise<number> {
  const { sql } = deps;
  if (!deps.smtp) return 0;
  const subscriptions = await sql<(ReportSubscription & { email: string })[]>`
    select ${columns(sql)} from report_subscriptions s
    where unsubscribed_at is null and exists (select 1 from users u where u.id = s.user_id and not u.is_disabled)`;
  let sent = 0;
  let attempted = 0;
  for (const subscription of subscriptions) {
    const key = dueReportKey(subscription.period, subscription.sendHour, now, deps.timeZone);
    if (!key) continue;
    const claimed = await sql`
      insert into report_deliveries (subscription_id, period_key, created_at)
      values (${subscription.id}, ${key}, ${now}) on conflict do nothing returning period_key`;
    if (claimed.length === 0) continue;
    try {
      const dates = subscription.period === "daily" ? [key] : weekDates(key);
      const reports = [];
      for (const date of dates) reports.push(await dailyReport(sql, date, deps.timeZone));
      const token = randomSecret();
      await sql`update report_subscriptions set unsubscribe_token_hash = ${hashToken(token)}
                where id = ${subscription.id}`;
      const unsubscribeUrl = new URL(
        `/api/v1/report-subscriptions/unsubscribe?token=${encodeURIComponent(token)}`,
        deps.baseUrl,
      ).href;
      const content = reportEmail(reports, {
        period: subscription.period,
        periodKey: key,
        timeZone: deps.timeZone,
        currency: deps.currency,
        locale: deps.locale,
        unsubscribeUrl,
      });
      await sendEmail(deps.smtp, { to: [subscription.email], ...content });
      await sql`update report_deliveries set status = 'sent', sent_at = ${now}
                where subscription_id = ${subscription.id} and period_key = ${key}`;
      sent += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn("report email failed", { subscriptionId: subscription.id, error: message });
      await sql`update report_deliveries set status = 'failed', error = ${message}
                where subscription_id = ${subscription.id} and period_key = ${key}`;
    }
    attempted += 1;
  }
  if (attempted > 0) {
    await publishAfterCommit(deps, { type: "notifications.changed", data: { what: "report emails" } });
  }
  return sent;
}
