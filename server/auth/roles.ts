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
}

/** True when `role` is `minimum` or above it. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(minimum);
}

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}
