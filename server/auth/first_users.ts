import type { Services } from "../services.ts";
import { recordAudit } from "./audit.ts";
import { generatePassword, hashPassword } from "./password.ts";
import type { Role } from "../trpc/roles.ts";
import { countUsers, insertUser } from "./users_queries.ts";

/** An account made at first start, with its password when the start-up output should show it. */
export interface FirstUser {
  username: string;
  role: Role;
  /** set when generated (or a demo password): printed once, never stored in clear */
  password?: string;
}

const demoRoles: Role[] = ["viewer", "analyst", "manager"];

/**
 * With no users at all, creates `admin` (password from ADMIN_PASSWORD, else generated and returned)
 * and, with `demoUsers`, one demo account per lesser role. Returns the accounts made (none when
 * users already exist), so the caller can print how to sign in.
 */
export async function ensureFirstUsers(
  services: Services,
  options: { demoUsers: boolean; adminPassword?: string },
): Promise<FirstUser[]> {
  const { sql } = services.db;
  if (await countUsers(sql) > 0) return [];
  const wanted: FirstUser[] = [
    { username: "admin", role: "admin", password: options.adminPassword },
    ...(options.demoUsers ? demoRoles.map((role) => ({ username: role, role })) : []),
  ];
  const accounts = await Promise.all(wanted.map(async (account) => {
    const password = account.password ?? generatePassword();
    return { account, password, passwordHash: await hashPassword(password) };
  }));
  // A second instance starting at the same moment must not create the users twice
  const created = await sql.begin(async (tx) => {
    await tx`lock table users in share row exclusive mode`;
    if (await countUsers(tx) > 0) return false;
    for (const { account, passwordHash } of accounts) {
      const user = await insertUser(tx, {
        username: account.username,
        displayName: account.role === "admin" ? "Administrator" : `Demo ${account.role}`,
        role: account.role,
        passwordHash,
      });
      await recordAudit(tx, {
        caller: null,
        action: "user.created",
        entityType: "user",
        entityId: user.id,
        details: { username: account.username, role: account.role, firstStart: true },
      });
    }
    return true;
  });
  if (!created) return [];
  return accounts.map(({ account, password }) => ({
    username: account.username,
    role: account.role,
    // ADMIN_PASSWORD is the operator's own secret: never echo it
    password: account.role === "admin" && options.adminPassword ? undefined : password,
  }));
}

/**
 * Start-up lines telling a user how to sign in: the accounts made by this start with their passwords, or,
 * on a later start, where to sign in and the way back in for a lost password.
 */
export function describeFirstUsers(users: FirstUser[], url: string): string[] {
  if (users.length === 0) {
    return [
      `Sign in at ${url}/login with your account (a lost password: deno task users reset-password NAME)`,
    ];
  }
  const lines = [`Sign in at ${url}/login with:`];
  for (const user of users) {
    lines.push(
      `  ${user.username.padEnd(8)} ${user.role.padEnd(8)} ${
        user.password ? `password ${user.password}` : "password from ADMIN_PASSWORD"
      }`,
    );
  }
  lines.push("These passwords are shown only once: change them under Admin > Users.");
  return lines;
}
