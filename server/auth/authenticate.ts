import type { Services } from "../services.ts";
import { findTokenCaller } from "./api_tokens.ts";
import { cachedCaller } from "./caller_cache.ts";
import { readBearerToken, readCookie, sessionCookieNameFor } from "./cookies.ts";
import type { Caller } from "../trpc/roles.ts";
import { hashToken } from "./secret_tokens.ts";
import { findSessionCaller } from "./sessions.ts";

// The rate limiter, the tRPC context and the page router all ask about the same request: answer
// once per request (its Headers object) instead of querying the database three times
const answers = new WeakMap<Headers, Promise<Caller | null>>();

/**
 * Finds who is calling: a session cookie or an `Authorization: Bearer` API token.
 * Returns null for anonymous requests. A request that sends a bearer token is judged by that token
 * alone, never by a cookie it also carries.
 */
export function authenticateRequest(services: Services, headers: Headers): Promise<Caller | null> {
  let answer = answers.get(headers);
  if (!answer) {
    answer = lookUpCaller(services, headers);
    answers.set(headers, answer);
  }
  return answer;
}

/** Forgets the remembered caller of a request (after it signed in or out). */
export function forgetAuthentication(headers: Headers): void {
  answers.delete(headers);
}

/**
 * Who the credentials in `headers` belong to now (through the short per-instance cache, never
 * the per-request answer): what a live socket asks on each message.
 */
export async function lookUpCaller(services: Services, headers: Headers): Promise<Caller | null> {
  const bearer = readBearerToken(headers);
  if (bearer !== undefined) {
    if (!bearer || bearer.length > 200) return null;
    return await cachedCaller(
      services,
      `token:${hashToken(bearer)}`,
      () => findTokenCaller(services.db.sql, bearer),
    );
  }
  const session = readCookie(headers, sessionCookieNameFor(services.config.PUBLIC_URL));
  if (!session || session.length > 200) return null;
  return await cachedCaller(
    services,
    `session:${hashToken(session)}`,
    () => findSessionCaller(services.db.sql, session),
  );
}
