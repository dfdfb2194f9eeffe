import type { Sql } from "../db/mod.ts";
import type { Logger } from "../log.ts";
import { emptyAllowlist, guardedFetch, type OutboundAllowlist, OutboundError } from "../outbound/mod.ts";
import { type AlertRow, getAlertWithRuleWebhook } from "./alert_queries.ts";

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body>`; receivers recompute it with the secret. */
export const signatureHeader = "x-techmart-signature";

/**
 * HMAC-SHA256 of `body` with `secret`, as lowercase hex.
 * @example await signBody("s3cret", '{"a":1}')
 */
export async function signBody(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Waits before each retry: base, 2x base, 4x base..., so a receiver that is down is not hammered. */
export function retryDelays(attempts: number, baseMs: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => baseMs * 2 ** i);
}

export interface DeliveryOptions {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
  /** internal targets allowed on purpose (config.OUTBOUND_ALLOWLIST) */
  allowlist?: OutboundAllowlist;
}

/** A receiver's answer is read only this far: a webhook needs the status, not the body. */
const maxAnswerBytes = 64 * 1024;

export const defaultDeliveryOptions: DeliveryOptions = { attempts: 5, baseDelayMs: 1_000, timeoutMs: 5_000 };

/**
 * POSTs `body` through the outbound guard until a 2xx answer or the attempts run out. A refused
 * target or a redirect ends at once: trying again cannot change the answer.
 */
export async function postWithRetries(
  url: string,
  body: string,
  options: DeliveryOptions & { secret?: string | null },
): Promise<{ ok: boolean; attempts: number; statusCode: number | null; error: string | null }> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "TechMart-Alerts/1",
  };
  if (options.secret) headers[signatureHeader] = `sha256=${await signBody(options.secret, body)}`;
  const delays = retryDelays(options.attempts, options.baseDelayMs);
  let statusCode: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const response = await guardedFetch(url, { method: "POST", headers, body }, {
        timeoutMs: options.timeoutMs,
        maxResponseBytes: maxAnswerBytes,
        allowlist: options.allowlist ?? emptyAllowlist,
      });
      await response.body?.cancel();
      statusCode = response.status;
      if (response.ok) return { ok: true, attempts: attempt, statusCode, error: null };
      error = `HTTP ${response.status}`;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      if (caught instanceof OutboundError && (caught.kind === "refused" || caught.kind === "redirect")) {
        return { ok: false, attempts: attempt, statusCode, error };
      }
    }
    if (attempt < options.attempts) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
  }
  return { ok: false, attempts: options.attempts, statusCode, error };
}

/** The JSON body posted for a new alert. */
export function webhookBody(alert: AlertRow): string {
  return JSON.stringify({
    event: "alert.raised",
    alert: {
      id: alert.id,
      type: alert.type,
      severity: alert.severity,
      status: alert.status,
      title: alert.title,
      message: alert.message,
      entityType: alert.entityType,
      entityId: alert.entityId,
      createdAt: alert.createdAt.toISOString(),
    },
  });
}

/**
 * Delivers a new alert to the global webhook and to the webhook of the rule that raised it (the
 * alert's `rule_id`, never its dedupe key), unless that rule is disabled. Each (alert, URL)
 * is claimed by inserting its alert_deliveries row first, so when every instance hears the same
 * `alert.raised` event only one posts it. Returns the URLs this instance delivered or failed.
 */
export async function deliverAlertWebhooks(
  deps: { sql: Sql; log: Logger; global: { url?: string; secret?: string } },
  alertId: number,
  options: DeliveryOptions = defaultDeliveryOptions,
): Promise<{ url: string; ok: boolean }[]> {
  const { sql, log } = deps;
  // the alert and its rule's webhook in one read (every instance does this for every new alert)
  const found = await getAlertWithRuleWebhook(sql, alertId).catch(() => undefined);
  if (!found) return [];
  const { alert, ruleWebhook: rule } = found;
  const targets: { url: string; secret: string | null }[] = [];
  if (deps.global.url) targets.push({ url: deps.global.url, secret: deps.global.secret ?? null });
  if (rule && !targets.some((t) => t.url === rule.url)) {
    targets.push({ url: rule.url, secret: rule.secret });
  }
  const body = webhookBody(alert);
  const results: { url: string; ok: boolean }[] = [];
  for (const target of targets) {
    const claimed = await sql`
      insert into alert_deliveries (alert_id, url) values (${alert.id}, ${target.url})
      on conflict do nothing returning alert_id`;
    if (claimed.length === 0) continue;
    const outcome = await postWithRetries(target.url, body, { ...options, secret: target.secret });
    await sql`
      update alert_deliveries
      set status = ${outcome.ok ? "delivered" : "failed"}, attempts = ${outcome.attempts},
          last_status_code = ${outcome.statusCode}, last_error = ${outcome.error}, finished_at = now()
      where alert_id = ${alert.id} and url = ${target.url}`;
    if (!outcome.ok) {
      log.warn("alert webhook failed", { alertId: alert.id, url: target.url, error: outcome.error });
    }
    results.push({ url: target.url, ok: outcome.ok });
  }
  return results;
}
