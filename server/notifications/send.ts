import { postWithRetries } from "../alerts/webhook.ts";
import type { OutboundAllowlist } from "../outbound/mod.ts";
import type { ContactPoint } from "./contact_point_queries.ts";
import { sendEmail } from "./email.ts";
import { emailContent, type Notification, slackPayload, webhookPayload } from "./messages.ts";

export interface SendSettings {
  allowlist: OutboundAllowlist;
  /** SMTP_URL; email contact points fail with a clear message without it */
  smtpUrl?: string;
  smtpFrom: string;
  timeoutMs?: number;
}

export type SendOutcome = { ok: true } | { ok: false; error: string; final: boolean };

/**
 * One attempt to send `notification` to a contact point, through the outbound guard. Retries are
 * the outbox's business (server/notifications/dispatch.ts), so a failure is reported, not retried;
 * `final` marks failures a retry cannot fix (a refused address).
 */
export async function sendToContactPoint(
  point: ContactPoint,
  notification: Notification,
  settings: SendSettings,
): Promise<SendOutcome> {
  const timeoutMs = settings.timeoutMs ?? 5_000;
  if (point.kind === "email") {
    if (!settings.smtpUrl) {
      return { ok: false, error: "SMTP_URL is not set: email cannot be sent", final: true };
    }
    try {
      await sendEmail(
        { url: settings.smtpUrl, from: settings.smtpFrom, allowlist: settings.allowlist, timeoutMs },
        { to: point.recipients, ...emailContent(notification) },
      );
      return { ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: message, final: (error as { kind?: string }).kind === "refused" };
    }
  }
  const body = point.kind === "slack" ? slackPayload(notification) : webhookPayload(notification);
  const outcome = await postWithRetries(point.url ?? "", body, {
    attempts: 1,
    baseDelayMs: 0,
    timeoutMs,
    allowlist: settings.allowlist,
    secret: point.kind === "webhook" ? point.secret : null,
  });
  if (outcome.ok) return { ok: true };
  const error = outcome.error ?? "failed";
  // the guard refusing an address, or a redirect: trying again cannot change the answer
  return { ok: false, error, final: /does not call|redirect/i.test(error) };
}
