// Test helpers for the auth domain: an app with known accounts, and signing in over HTTP.
import type { Services } from "../services.ts";
import { startTestApp, type TestApp } from "../testing/test_app.ts";
import { insertUser } from "./users_queries.ts";
import { hashPassword } from "./password.ts";
import type { Role } from "../trpc/roles.ts";

/** The password every fixture account has. */
export const fixturePassword = "correct horse battery staple";

/** Creates one user per role named after it (`viewer`, ..., `admin`) plus `spare` (viewer). */
export async function insertRoleUsers(services: Services): Promise<Record<Role | "spare", number>> {
  const hash = await hashPassword(fixturePassword);
  const ids = {} as Record<Role | "spare", number>;
  for (const role of ["viewer", "analyst", "manager", "admin"] as const) {
    ids[role] = (await insertUser(services.db.sql, { username: role, role, passwordHash: hash })).id;
  }
  ids.spare =
    (await insertUser(services.db.sql, { username: "spare", role: "viewer", passwordHash: hash })).id;
  return ids;
}

/** A test app whose database holds the fixture accounts. */
export async function startAuthTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return await startTestApp({
    env,
    prepare: async (services) => {
      await insertRoleUsers(services);
    },
  });
}

/** A signed-in browser, reduced to what it sends: the cookies and the CSRF token. */
export interface Session {
  cookie: string;
  csrf: string;
  /** headers for a same-origin mutation */
  headers(extra?: Record<string, string>): Record<string, string>;
}

/** Signs in through `POST /api/v1/auth/login`; throws when that fails. */
export async function signInOverHttp(
  app: TestApp,
  username: string,
  password = fixturePassword,
  previous?: Session,
): Promise<Session> {
  const response = await app.fetch("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...(previous ? { cookie: previous.cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`Sign-in failed: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return sessionFrom(response.headers.getSetCookie(), body.csrfToken);
}

/** Builds a Session from Set-Cookie headers. */
export function sessionFrom(setCookies: string[], csrf: string): Session {
  const cookie = setCookies.map((line) => line.split(";")[0]).filter((pair) => !pair.endsWith("=")).join(
    "; ",
  );
  return {
    cookie,
    csrf,
    headers: (extra = {}) => ({ cookie, "x-csrf-token": csrf, "content-type": "application/json", ...extra }),
  };
}
