/** Cookie holding the session token: HttpOnly, so page scripts never see it. */
export const sessionCookieName = "techmart_session";
/**
 * The session cookie's name for an app served at `publicUrl`: behind https it carries the
 * `__Host-` prefix, so browsers accept it only if Secure, for this host and path `/` (a sibling
 * subdomain or a plain-http page cannot plant one). Plain http (local development) keeps the bare
 * name, which browsers would refuse with the prefix.
 */
export function sessionCookieNameFor(publicUrl: string | undefined): string {
  return publicUrl?.startsWith("https:") ? `__Host-${sessionCookieName}` : sessionCookieName;
}

/** Cookie holding the CSRF token: readable by the islands' script, which echoes it in X-CSRF-Token. */
export const csrfCookieName = "techmart_csrf";
/** Header carrying the CSRF token on mutations. */
export const csrfHeaderName = "X-CSRF-Token";
/** Form field carrying the CSRF token on plain HTML form posts (logout). */
export const csrfFieldName = "_csrf";

/** Reads one cookie from a `Cookie` header. */
export function readCookie(headers: Headers, name: string): string | undefined {
  const header = headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function readBearerToken(headers: Headers): string | undefined {
  const header = headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? "";
}
