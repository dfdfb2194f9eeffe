/** Roles from least to most privileged; each includes everything the ones before it may do. */
export const roles = ["viewer", "analyst", "manager", "admin"] as const;
export type Role = (typeof roles)[number];

/** The caller behind a request: a signed-in user or an API token acting with a role. */
export interface Caller {
  userId: number;
  username: string;
  role: Role;
  /** how the caller proved who they are */
  via: "session" | "token";
  /** set when via is "session": the session's id, for logout */
  sessionId?: string;
  /** set when via is "session": the token forms and islands send back with mutations (X-CSRF-Token) */
  csrfToken?: string;
  /** set when via is "token" */
  tokenId?: number;
  /** set only on the in-process traffic simulator's caller (server/simulate/), never from a request */
  simulated?: boolean;
}

/** True when `role` is `minimum` or above it. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(minimum);
}

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/** The less privileged of two roles (a token acts with at most its creator's role). */
export function lowerRole(a: Role, b: Role): Role {
  return roles.indexOf(a) <= roles.indexOf(b) ? a : b;
}

/**
 * A URL that may be a secret itself (Slack-style hooks carry their token in the path), as `role` may
 * see it: whole for managers and up, only its origin (`https://host/…`) below.
 */
export function secretUrlShownTo(role: Role, url: string | null): string | null {
  if (url === null || roleAtLeast(role, "manager")) return url;
  return `${URL.parse(url)?.origin ?? ""}/…`;
}
