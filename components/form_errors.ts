/** Form messages from a shared zod schema (before sending) and from the server (after). */

/** A zod issue as either zod (path array) or our tRPC error formatter (dotted path) reports it. */
export interface IssueLike {
  path: string | readonly PropertyKey[];
  message: string;
}

/** Field name (dotted path, "" for the whole form) to its first message. */
export type FieldErrors = Record<string, string>;

/**
 * Each field's first message, keyed by its dotted path (`items.0.quantity`).
 * @param issues zod's `error.issues`, or the `data.issues` our API sends back with a 400
 */
export function fieldErrorsOf(issues: readonly IssueLike[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = typeof issue.path === "string" ? issue.path : issue.path.map(String).join(".");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** What a form shows after a failed call: the server's sentence, and per-field messages when it sent them. */
export interface ServerError {
  message: string;
  fields: FieldErrors;
}

/**
 * Reads a failed tRPC call (a `TRPCClientError`, or anything thrown) into a message and field errors;
 * never shows a stack trace, and falls back to a sentence when the network failed.
 */
export function serverErrorOf(error: unknown): ServerError {
  const data = (error as { data?: { issues?: IssueLike[] } } | null)?.data;
  const fields = Array.isArray(data?.issues) ? fieldErrorsOf(data.issues) : {};
  const raw = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  const message = raw && !/^(Failed to fetch|NetworkError|Load failed)/i.test(raw)
    ? raw
    : "Could not reach the server. Check the connection and try again.";
  return { message, fields };
}
