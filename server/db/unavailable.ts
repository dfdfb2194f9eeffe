import { TRPCError } from "@trpc/server";

/** What a caller reads when the database cannot be reached (HTTP 503, code SERVICE_UNAVAILABLE). */
export const databaseUnavailableMessage = "The database is not reachable right now: try again in a moment";

// postgres.js connection states, Node socket errors, and PostgreSQL's own codes for a server that is
// shutting down (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up), a lost connection
// (class 08) or one that cannot be opened (53300 too many connections)
const connectionCodes = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/**
 * True when `error` (or an error it wraps) says the database connection failed rather than the
 * query: the request may succeed once the database is back. tRPC, REST and pages all ask this.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TRPCError && current.code === "SERVICE_UNAVAILABLE") return true;
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === "string" && connectionCodes.has(code)) return true;
    // Deno's own socket errors, when they surface unwrapped
    if (name === "ConnectionRefused" || name === "ConnectionReset" || name === "BrokenPipe") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The TRPCError every layer answers with while the database is unreachable (503). */
export function databaseUnavailableError(cause?: unknown): TRPCError {
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage, cause });
}

/**
 * A BAD_REQUEST for PostgreSQL's data exceptions (class 22: a number out of its column's range, text
 * that is not a valid value of its type, a NUL in text, an impossible date), which a value that got
 * past validation can still raise; undefined for any other error. The client sent the value, so it
 * is a 400 naming it, never a 500.
 */
export function invalidValueError(error: unknown): TRPCError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code) && typeof message === "string") {
      return new TRPCError({ code: "BAD_REQUEST", message: `Invalid value: ${message}`, cause: current });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
