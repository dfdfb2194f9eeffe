import { z } from "zod";
import { weakPasswordReason } from "./shared/password_strength.ts";
import { parseCidrList } from "./outbound/address.ts";
import { checkOutboundUrl, parseOutboundAllowlist } from "./outbound/url_check.ts";

const logLevels = ["debug", "info", "warn", "error"] as const;

/** A text variable (empty by default) turned into a value by `parse`, whose Error message becomes the issue. */
function parsedText<T>(parse: (text: string) => T) {
  return z.string().default("").transform((text, context) => {
    try {
      return parse(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });
}

/** Every setting the app reads from the environment, parsed once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.url({
    protocol: /^postgres(ql)?$/,
    error: "Enter a PostgreSQL address, like postgres://user:password@127.0.0.1:5432/techmart",
  }).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "Enter a Redis address, like redis://127.0.0.1:6379" })
    .optional(),
  STORE_TZ: z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/London").default("UTC"),
  // ISO 4217 code of the shop's money (amounts are stored as integer minor units of it)
  STORE_CURRENCY: z.string().refine(isCurrency, "must be an ISO 4217 currency code such as GBP").default(
    "GBP",
  ),
  // how amounts, numbers and dates are written on pages, in exports and in messages
  STORE_LOCALE: z.string().refine(isLocale, "must be a BCP 47 locale such as en-GB").default("en-GB"),
  // ISO 3166 country whose public holidays are calendar events for forecasts
  STORE_COUNTRY: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter country code such as GB").default("GB"),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters")
    .superRefine((value, ctx) => {
      const weak = weakPasswordReason(value);
      if (weak) ctx.addIssue({ code: "custom", message: weak });
    })
    .optional(),
  PUBLIC_URL: z.url().optional(),
  CORS_ORIGINS: z.string().default(""),
  // reverse proxies (addresses, CIDRs) whose X-Forwarded-For names the client; without it the peer is the client
  TRUSTED_PROXIES: parsedText(parseCidrList),
  // requests per minute per signed-in user or API token (twice that per client address); 0 = off
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  // open live sockets (WebSocket) per user or API token on one instance
  LIVE_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(20),
  // a request body that has not fully arrived this long after its headers gets 408 (slow-body attacks)
  HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  SEED_SAMPLE_DATA: z.enum(["auto", "never"]).default("auto"),
  JOBS: z.enum(["on", "off"]).default("on"),
  // invented sales for demos (server/simulate/); "force" also on a PostgreSQL holding real sales
  SIMULATE_TRAFFIC: z.enum(["off", "on", "force"]).default("off"),
  SIMULATE_PEAK_SALES_PER_MINUTE: z.coerce.number().min(0.1).max(600).default(20),
  // every new alert is POSTed here (besides per-rule webhooks), signed with HMAC-SHA256 of the secret
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  // internal hosts and networks (comma-separated, CIDRs allowed) that webhooks may call after all
  OUTBOUND_ALLOWLIST: parsedText(parseOutboundAllowlist),
  // email contact points and report emails: smtp://user:pass@host:port (STARTTLS) or smtps://
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().min(3).default("TechMart Analytics <alerts@techmart.invalid>"),
}).superRefine((config, context) => {
  if (config.ALERT_WEBHOOK_URL) {
    const check = checkOutboundUrl(config.ALERT_WEBHOOK_URL, config.OUTBOUND_ALLOWLIST);
    if (!check.ok) context.addIssue({ code: "custom", path: ["ALERT_WEBHOOK_URL"], message: check.reason });
  }
  if (config.SMTP_URL) {
    const smtp = new URL(config.SMTP_URL);
    const check = checkOutboundUrl(`http://${smtp.hostname}:${smtp.port || 587}/`, config.OUTBOUND_ALLOWLIST);
    if (!check.ok) context.addIssue({ code: "custom", path: ["SMTP_URL"], message: check.reason });
  }
});

export type Config = z.infer<typeof configSchema>;

/** Raised when the environment holds a bad value; its message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses the environment into a Config, or throws ConfigError naming the first bad variable.
 * @example loadConfig(Deno.env.toObject())
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as in most shells' `FOO= cmd`
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue.path[0] ?? "environment");
  throw new ConfigError(`Invalid ${variable}: ${issue.message}`);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf("currency").includes(code);
}

function isLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}
