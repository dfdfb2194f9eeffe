import type { Services } from "../services.ts";
import { findTokenCaller } from "./api_tokens.ts";
import { readBearerToken, readCookie, sessionCookieName } from "./cookies.ts";
import type { Caller } from "./roles.ts";
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
    answer = lookUp(services, headers);
    answers.set(headers, answer);
  }
  return answer;
}

/** Forgets the remembered caller of a request (after it signed in or out). */
export function forgetAuthentication(headers: Headers): void {
  answers.delete(headers);
}

async function lookUp(services: Services, headers: Headers): Promise<Caller | null> {
  const bearer = readBearerToken(headers);
  if (bearer !== undefined) {
    return bearer && bearer.length <= 200 ? await findTokenCaller(services.db.sql, bearer) : null;
  }
  const session = readCookie(headers, sessionCookieName);
  if (!session || session.length > 200) return null;
  return await findSessionCaller(services.db.sql, session);
}
