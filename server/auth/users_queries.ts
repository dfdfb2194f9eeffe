import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Role } from "../trpc/roles.ts";

/** A user as the admin pages and the API show it: never the password hash. */
export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  isDisabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  activeSessions: number;
}

/** What login needs to know about a username. */
export interface LoginRecord {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  isDisabled: boolean;
}

/** Number of users, to tell a first start. */
export async function countUsers(sql: Sql | TransactionSql): Promise<number> {
  const [row] = await sql<[{ count: number }]>`select count(*)::int as count from users`;
  return row.count;
}

/** Inserts a user; throws postgres error 23505 when the username (any case) is taken. */
export async function insertUser(
  sql: Sql | TransactionSql,
  user: { username: string; displayName?: string; role: Role; passwordHash: string },
): Promise<{ id: number }> {
  const [row] = await sql<[{ id: number }]>`
    insert into users (username, display_name, role, password_hash)
    values (${user.username}, ${user.displayName ?? ""}, ${user.role}, ${user.passwordHash})
    returning id`;
  return row;
}

/** The login record for a username, matched without regard to case. */
export async function findLoginRecord(sql: Sql, username: string): Promise<LoginRecord | undefined> {
  const [row] = await sql<[LoginRecord?]>`
    select id, username, role, password_hash as "passwordHash", is_disabled as "isDisabled"
    from users where lower(username) = lower(${username})`;
  return row;
}

/** The login record of a user id. */
export async function findLoginRecordById(
  sql: Sql | TransactionSql,
  id: number,
): Promise<LoginRecord | undefined> {
  const [row] = await sql<[LoginRecord?]>`
    select id, username, role, password_hash as "passwordHash", is_disabled as "isDisabled"
    from users where id = ${id}`;
  return row;
}

/** Every user, admins first, with how many live sessions each has. */
export function listUsers(sql: Sql): Promise<UserSummary[]> {
  return sql<UserSummary[]>`
    select u.id, u.username, u.display_name as "displayName", u.role, u.is_disabled as "isDisabled",
      u.created_at as "createdAt", u.last_login_at as "lastLoginAt",
      (select count(*)::int from sessions s where s.user_id = u.id and s.expires_at > now()) as "activeSessions"
    from users u
    order by array_position(array['admin', 'manager', 'analyst', 'viewer'], u.role), lower(u.username)`;
}

/** Sets a user's role; returns false when there is no such user. */
export async function updateUserRole(tx: TransactionSql, id: number, role: Role): Promise<boolean> {
  const rows = await tx`update users set role = ${role}, updated_at = now() where id = ${id} returning id`;
  return rows.length === 1;
}

/** Disables or enables a user; returns false when there is no such user. */
export async function updateUserDisabled(
  tx: TransactionSql,
  id: number,
  disabled: boolean,
): Promise<boolean> {
  const rows = await tx`
    update users set is_disabled = ${disabled}, updated_at = now() where id = ${id} returning id`;
  return rows.length === 1;
}

/** Replaces a user's password hash; returns false when there is no such user. */
export async function updateUserPassword(
  sql: Sql | TransactionSql,
  id: number,
  passwordHash: string,
): Promise<boolean> {
  const rows = await sql`
    update users set password_hash = ${passwordHash}, password_changed_at = now(), updated_at = now()
    where id = ${id} returning id`;
  return rows.length === 1;
}

/** Records a successful sign-in. */
export async function touchLastLogin(sql: Sql | TransactionSql, id: number): Promise<void> {
  await sql`update users set last_login_at = now() where id = ${id}`;
}

/** Admins that can still sign in, other than `exceptId`: the last one must not lock everyone out. */
export async function countOtherActiveAdmins(tx: TransactionSql, exceptId: number): Promise<number> {
  const [row] = await tx<[{ count: number }]>`
    select count(*)::int as count from users
    where role = 'admin' and not is_disabled and id <> ${exceptId}`;
  return row.count;
}
