import type { Services } from "../services.ts";
import { findTokenCaller } from "./api_tokens.ts";
import { cachedCaller, callerCacheMs, heldCaller } from "./caller_cache.ts";
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
  const credential = credentialOf(services, headers);
  return credential && await cachedCaller(services, credential.key, credential.lookUp);
}

/**
 * Who the credentials in `headers` belong to when this instance holds the answer now (null: nobody
 * signed in), without a promise; undefined when it has to be looked up (`lookUpCaller`).
 */
export function heldRequestCaller(services: Services, headers: Headers): Caller | null | undefined {
  const credential = credentialOf(services, headers);
  return credential && heldCaller(services, credential.key, credential.lookUp);
}

/**
 * The caller cache's key of the request's credential and how the database answers it, or null when
 * it carries none (or one too long to be real). A bearer token wins over a cookie.
 */
function credentialOf(
  services: Services,
  headers: Headers,
): { key: string; lookUp: () => Promise<Caller | null> } | null {
  const bearer = readBearerToken(headers);
  if (bearer !== undefined) {
    if (!bearer || bearer.length > 200) return null;
    return {
      key: credentialKey(tokenKeys, "token:", bearer),
      lookUp: () => findTokenCaller(services.db.sql, bearer),
    };
  }
  const session = readCookie(headers, sessionCookieNameFor(services.config.PUBLIC_URL));
  if (!session || session.length > 200) return null;
  return {
    key: credentialKey(sessionKeys, "session:", session),
    lookUp: () => findSessionCaller(services.db.sql, session),
  };
}

/**
 * The caller cache's key of a credential: its kind and SHA-256. Hashing through node:crypto was a tenth of
 * a cached overview's JavaScript time, and the same few tokens arrive thousands of times a second, so the
 * keys are remembered, for no longer than the caller cache trusts an answer (a credential seen once does not
 * stay in memory longer than its caller does) and at most `maxKeys` of them (a flood of made-up tokens).
 */
export function credentialKey(keys: CredentialKeys, kind: string, credential: string): string {
  const now = Date.now();
  if (now - keys.since >= callerCacheMs || keys.byCredential.size >= maxKeys) {
    keys.byCredential.clear();
    keys.since = now;
  }
  let key = keys.byCredential.get(credential);
  if (key === undefined) keys.byCredential.set(credential, key = `${kind}${hashToken(credential)}`);
  return key;
}

/** Remembered keys of one kind of credential, and since when. */
export interface CredentialKeys {
  byCredential: Map<string, string>;
  since: number;
}

export const maxKeys = 10_000;
const tokenKeys: CredentialKeys = { byCredential: new Map(), since: 0 };
const sessionKeys: CredentialKeys = { byCredential: new Map(), since: 0 };
