import type { Sql, TransactionSql } from "../db/mod.ts";
import type { Caller, Role } from "../trpc/roles.ts";
import { csrfTokenFor, hashToken, randomSecret } from "./secret_tokens.ts";

/** A session ends after this long without a request (sliding). */
export const sessionIdleMs = 12 * 60 * 60 * 1000;
/** ...and at the latest this long after sign-in, however active. */
export const sessionMaxMs = 14 * 24 * 60 * 60 * 1000;
// Sliding expiry writes at most once a minute per session, not on every request
const touchAfterMs = 60 * 1000;

/** A freshly created session: the token goes into the cookie and is never stored in clear. */
export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Starts a session for a user and returns its token (shown to the browser once, as a cookie). */
export async function createSession(
  sql: Sql | TransactionSql,
  userId: number,
  client: { ip?: string; userAgent?: string } = {},
): Promise<NewSession> {
  const token = randomSecret();
  const [row] = await sql<[{ id: string; expiresAt: Date }]>`
    insert into sessions (user_id, token_hash, expires_at, absolute_expires_at, ip, user_agent)
    values (
      ${userId}, ${hashToken(token)},
      now() + ${sessionIdleMs} * interval '1 millisecond',
      now() + ${sessionMaxMs} * interval '1 millisecond',
      ${client.ip ?? null}, ${client.userAgent?.slice(0, 300) ?? null}
    )
    returning id, expires_at as "expiresAt"`;
  return { id: row.id, token, csrfToken: await csrfTokenFor(token), expiresAt: row.expiresAt };
}

/**
 * The caller behind a session token, or null when it is unknown, expired or its user is disabled.
 * Pushes the idle expiry forward (never past the absolute limit).
 */
export async function findSessionCaller(sql: Sql, token: string): Promise<Caller | null> {
  const [row] = await sql<
    [{ id: string; userId: number; username: string; role: Role; lastSeenMs: number }?]
  >`
    select s.id, u.id as "userId", u.username, u.role,
      extract(epoch from (now() - s.last_seen_at)) * 1000 as "lastSeenMs"
    from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${hashToken(token)}
      and s.expires_at > now() and s.absolute_expires_at > now() and not u.is_disabled`;
  if (!row) return null;
  if (row.lastSeenMs > touchAfterMs) {
    await sql`
      update sessions set last_seen_at = now(),
        expires_at = least(now() + ${sessionIdleMs} * interval '1 millisecond', absolute_expires_at)
      where id = ${row.id}`;
  }
  return {
    userId: row.userId,
    username: row.username,
    role: row.role,
    via: "session",
    sessionId: row.id,
    csrfToken: await csrfTokenFor(token),
  };
}

/**
 * Ends one session by its token (logout, or rotation at sign-in); returns the hash of its token
 * (what `access.revoked` names) when there was such a session.
 */
export async function deleteSessionByToken(
  sql: Sql | TransactionSql,
  token: string,
): Promise<string | undefined> {
  const tokenHash = hashToken(token);
  const rows = await sql`delete from sessions where token_hash = ${tokenHash} returning id`;
  return rows.length > 0 ? tokenHash : undefined;
}

/** Ends one session by id; returns the hash of its token (what `access.revoked` names), if it existed. */
export async function deleteSession(sql: Sql | TransactionSql, id: string): Promise<string | undefined> {
  const [row] = await sql<[{ tokenHash: string }?]>`
    delete from sessions where id = ${id} returning token_hash as "tokenHash"`;
  return row?.tokenHash;
}

/**
 * Ends every session of a user ("log out everywhere", password reset, disable), except `keep` when
 * given (the one changing its own password); returns how many ended.
 */
export async function deleteUserSessions(
  sql: Sql | TransactionSql,
  userId: number,
  options: { keep?: string } = {},
): Promise<number> {
  const rows = options.keep
    ? await sql`delete from sessions where user_id = ${userId} and id <> ${options.keep} returning id`
    : await sql`delete from sessions where user_id = ${userId} returning id`;
  return rows.length;
}

/** Removes sessions past their expiry; returns how many went. */
export async function deleteExpiredSessions(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from sessions where expires_at <= now() or absolute_expires_at <= now() returning id`;
  return rows.length;
}
