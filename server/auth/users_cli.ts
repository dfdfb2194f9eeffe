/**
 * `deno task users ...` on the server: list accounts, add one, or reset a lost password (the way back
 * in when the only admin forgot theirs). Runs against the database directly, so it needs no sign-in;
 * whoever can run it already holds the server.
 */
import { parseArgs } from "node:util";
import type { Sql } from "../db/mod.ts";
import { formatDateTime } from "../shared/format.ts";
import { recordAudit } from "./audit.ts";
import { generatePassword, hashPassword, passwordStrengthProblem } from "./password.ts";
import { type Role, roles } from "../trpc/roles.ts";
import { deleteUserSessions } from "./sessions.ts";
import { findLoginRecord, insertUser, listUsers, updateUserPassword } from "./users_queries.ts";

export const usersUsage = `Usage: deno task users <command>
  list                                  every account: name, role, status, last sign-in
  add NAME --role ROLE [--password-stdin]
                                        a new account (ROLE: ${roles.join(", ")}); prints its password
  reset-password NAME [--password-stdin]
                                        a new password for NAME, printed once; ends NAME's sessions
Without --password-stdin a strong password is generated; with it, one line is read from stdin.`;

export interface UsersCommandDeps {
  sql: Sql;
  print(line: string): void;
  /** the first line of stdin, for --password-stdin */
  readPassword(): Promise<string | null>;
}

/**
 * Runs one `users` command; returns the exit code (0 done, 1 refused, 2 bad usage) after printing
 * what happened or why not.
 * @example await runUsersCommand(["reset-password", "admin"], deps)
 */
export async function runUsersCommand(args: string[], deps: UsersCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: "string" }, "password-stdin": { type: "boolean" } },
    });
  } catch (error) {
    deps.print(`${(error as Error).message}\n${usersUsage}`);
    return 2;
  }
  const [command, name, ...extra] = parsed.positionals;
  if (command === "list" && !name) return await list(deps);
  if ((command === "add" || command === "reset-password") && name && extra.length === 0) {
    const password = await choosePassword(name, parsed.values["password-stdin"] === true, deps);
    if (password === null) return 1;
    if (command === "reset-password") return await resetPassword(name, password, deps);
    const role = parsed.values.role as Role | undefined;
    if (!role || !roles.includes(role)) {
      deps.print(`Give the new account a role: --role ${roles.join("|")}`);
      return 2;
    }
    return await add(name, role, password, deps);
  }
  deps.print(usersUsage);
  return 2;
}

async function list(deps: UsersCommandDeps): Promise<number> {
  const users = await listUsers(deps.sql);
  if (users.length === 0) deps.print("No accounts yet: the app creates admin at its first start");
  for (const user of users) {
    const status = user.isDisabled ? "disabled" : "active";
    const last = user.lastLoginAt ? formatDateTime(user.lastLoginAt) : "never";
    deps.print(`${user.username.padEnd(24)} ${user.role.padEnd(8)} ${status.padEnd(9)} last sign-in ${last}`);
  }
  return 0;
}

async function choosePassword(username: string, fromStdin: boolean, deps: UsersCommandDeps) {
  if (!fromStdin) return { value: generatePassword(), generated: true };
  const typed = (await deps.readPassword())?.replace(/\r?\n$/, "") ?? "";
  const problem = passwordStrengthProblem(typed, { username });
  if (problem) {
    deps.print(`${problem}. Nothing was changed.`);
    return null;
  }
  return { value: typed, generated: false };
}

async function resetPassword(
  username: string,
  password: { value: string; generated: boolean },
  deps: UsersCommandDeps,
): Promise<number> {
  const user = await findLoginRecord(deps.sql, username);
  if (!user) {
    deps.print(`No account named "${username}". Accounts: deno task users list`);
    return 1;
  }
  const passwordHash = await hashPassword(password.value);
  const sessionsEnded = await deps.sql.begin(async (tx) => {
    await updateUserPassword(tx, user.id, passwordHash);
    const ended = await deleteUserSessions(tx, user.id);
    await recordAudit(tx, {
      caller: null,
      action: "user.password_reset",
      entityType: "user",
      entityId: user.id,
      details: { username: user.username, sessionsEnded: ended, via: "command line" },
    });
    return ended;
  });
  deps.print(`New password for ${user.username}${password.generated ? `: ${password.value}` : " set"}`);
  deps.print(`${sessionsEnded} session(s) ended${user.isDisabled ? "; the account is still disabled" : ""}`);
  return 0;
}

async function add(
  username: string,
  role: Role,
  password: { value: string; generated: boolean },
  deps: UsersCommandDeps,
): Promise<number> {
  if (!/^[A-Za-z0-9._-]{2,64}$/.test(username)) {
    deps.print("A username is 2 to 64 letters, digits, '.', '_' or '-'");
    return 2;
  }
  if (await findLoginRecord(deps.sql, username)) {
    deps.print(`An account named "${username}" already exists; to set its password: reset-password`);
    return 1;
  }
  const passwordHash = await hashPassword(password.value);
  await deps.sql.begin(async (tx) => {
    const user = await insertUser(tx, { username, role, passwordHash });
    await recordAudit(tx, {
      caller: null,
      action: "user.created",
      entityType: "user",
      entityId: user.id,
      details: { username, role, via: "command line" },
    });
  });
  deps.print(`Created ${username} (${role})${password.generated ? ` with password: ${password.value}` : ""}`);
  return 0;
}
