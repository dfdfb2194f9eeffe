import { z } from "zod";

const logLevels = ["debug", "info", "warn", "error"] as const;

/** Every setting the app reads from the environment, parsed once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  STORE_TZ: z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/London").default("UTC"),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  CORS_ORIGINS: z.string().default(""),
  // requests per minute per signed-in user or API token (twice that per client address); 0 = off
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  // open live sockets (WebSocket) per user or API token on one instance
  LIVE_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(20),
  SEED_SAMPLE_DATA: z.enum(["auto", "never"]).default("auto"),
  JOBS: z.enum(["on", "off"]).default("on"),
  // every new alert is POSTed here (besides per-rule webhooks), signed with HMAC-SHA256 of the secret
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
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
