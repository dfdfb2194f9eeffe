/** How a socket proved who it is: a browser cookie, or a token a program (or page script) sent. */
export type SocketCredential = "cookie" | "token";

/** The origins a WebSocket may be opened from. */
export interface OriginPolicy {
  /** the address the request reached, e.g. `http://127.0.0.1:8000` */
  ownOrigin: string;
  /** PUBLIC_URL, when the app sits behind a proxy */
  publicUrl?: string;
  /** CORS_ORIGINS: comma-separated origins allowed to use the API with a token */
  corsOrigins: string;
}

/**
 * Says why a WebSocket from `origin` must be refused, or null when it may open. Browsers always
 * send Origin on a WebSocket, and the socket carries the session cookie along: a cookie socket must
 * come from this site (else any page could read the dashboard as its visitor). Origins in
 * CORS_ORIGINS may connect with a token only, as the CORS policy allows them no credentials.
 * Programs send no Origin and must authenticate anyway.
 */
export function originRefusal(
  origin: string | null,
  credential: SocketCredential,
  policy: OriginPolicy,
): string | null {
  if (origin === null) return null;
  const own = new Set([policy.ownOrigin]);
  if (policy.publicUrl) own.add(new URL(policy.publicUrl).origin);
  if (own.has(origin)) return null;
  const listed = policy.corsOrigins.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (listed.includes(origin)) {
    return credential === "token"
      ? null
      : `Origin ${origin} may connect with a token only, not with a session cookie`;
  }
  return `Origin ${origin} is not allowed to open a socket here`;
}
