import type { Context, MiddlewareHandler } from "hono";
import {
  csrfFieldName,
  csrfHeaderName,
  readBearerToken,
  readCookie,
  sessionCookieNameFor,
} from "../auth/cookies.ts";
import { constantTimeEqual, csrfTokenFor } from "../auth/secret_tokens.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfOptions {
  /** the app's public address (PUBLIC_URL), accepted as an origin besides the request's own */
  publicUrl?: string;
  /** paths that need only the origin check (sign-in: there is no session to bind a token to yet) */
  originOnlyPaths?: string[];
  /** paths of HTML forms that send the token as the `_csrf` field: the only ones whose body is parsed */
  formPaths?: string[];
}

/**
 * Refuses cross-site mutations that ride on the session cookie: an unsafe method must come from our
 * own origin (Origin and Sec-Fetch-Site), and when a session cookie is present it must carry the
 * session's CSRF token (X-CSRF-Token header, or the `_csrf` field of a form). Requests with an
 * `Authorization: Bearer` token are exempt: browsers never add that header on their own.
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler {
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const originOnly = new Set(options.originOnlyPaths ?? []);
  const formPaths = new Set(options.formPaths ?? []);
  const sessionCookie = sessionCookieNameFor(options.publicUrl);
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const headers = c.req.raw.headers;
    if (readBearerToken(headers) !== undefined) return next();

    const site = headers.get("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") {
      return refuse(c, `Cross-site request refused (Sec-Fetch-Site: ${site})`);
    }
    const origin = headers.get("origin");
    if (origin !== null) {
      const own = new URL(c.req.url).origin;
      if (origin !== own && origin !== publicOrigin) {
        return refuse(c, `Cross-site request refused: origin ${origin} is not this site`);
      }
    }

    const session = readCookie(headers, sessionCookie);
    if (!session || originOnly.has(c.req.path)) return next();
    const sent = headers.get(csrfHeaderName) ?? (formPaths.has(c.req.path) ? await formField(c) : undefined);
    if (!sent || !constantTimeEqual(sent, await csrfTokenFor(session))) {
      return refuse(c, "Missing or wrong CSRF token: reload the page and try again");
    }
    return next();
  };
}

async function formField(c: Context): Promise<string | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return undefined;
  }
  // Hono keeps the parsed body, so the route handler can read the form again
  const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
  const value = form[csrfFieldName];
  return typeof value === "string" ? value : undefined;
}

function refuse(c: Context, message: string) {
  c.header("Cache-Control", "no-store");
  return c.json({ error: { code: "FORBIDDEN", message } }, 403);
}
