import type { Sql, TransactionSql } from "../db/mod.ts";
import { type Caller, lowerRole, type Role } from "../trpc/roles.ts";
import { apiTokenPrefix, hashToken, randomSecret } from "./secret_tokens.ts";

/** An API token as lists show it: never the token or its hash. */
export interface ApiTokenSummary {
  id: number;
  name: string;
  role: Role;
  tokenPrefix: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

// last_used_at is informative: writing it at most once a minute keeps token requests read-only
const touchAfterMs = 60 * 1000;

/** Creates an API token; the returned `token` is the only time its secret is available. */
export async function insertApiToken(
  tx: Sql | TransactionSql,
  options: { name: string; role: Role; expiresAt?: Date | null; createdBy: number },
): Promise<{ id: number; token: string; tokenPrefix: string }> {
  const token = `${apiTokenPrefix}${randomSecret()}`;
  const tokenPrefix = token.slice(0, 10);
  // created_by names a real user or nobody (test and system callers have no row)
  const [row] = await tx<[{ id: number }]>`
    insert into api_tokens (name, role, token_hash, token_prefix, created_by, expires_at)
    values (
      ${options.name}, ${options.role}, ${hashToken(token)}, ${tokenPrefix},
      (select id from users where id = ${options.createdBy}), ${options.expiresAt ?? null}
    )
    returning id`;
  return { id: row.id, token, tokenPrefix };
}

/**
 * The caller behind a bearer token, or null when it is unknown, expired or revoked, or its creator
 * is disabled. It acts with the lower of its own role and its creator's current role, so demoting
 * a user caps every token they made. (A token without a creator row, made by the system or a test,
 * keeps its own role.)
 */
export async function findTokenCaller(sql: Sql, token: string): Promise<Caller | null> {
  if (!token.startsWith(apiTokenPrefix)) return null;
  const [row] = await sql<
    [
      {
        id: number;
        name: string;
        role: Role;
        createdBy: number | null;
        creatorRole: Role | null;
        idleMs: number | null;
      }?,
    ]
  >`
    select t.id, t.name, t.role, t.created_by as "createdBy", u.role as "creatorRole",
      extract(epoch from (now() - t.last_used_at)) * 1000 as "idleMs"
    from api_tokens t left join users u on u.id = t.created_by
    where t.token_hash = ${hashToken(token)} and t.revoked_at is null
      and (t.expires_at is null or t.expires_at > now())
      and (u.id is null or not u.is_disabled)`;
  if (!row) return null;
  if (row.idleMs === null || row.idleMs > touchAfterMs) {
    await sql`update api_tokens set last_used_at = now() where id = ${row.id}`;
  }
  return {
    userId: row.createdBy ?? 0,
    username: `token:${row.name}`,
    role: row.creatorRole ? lowerRole(row.role, row.creatorRole) : row.role,
    via: "token",
    tokenId: row.id,
  };
}

/** Revokes every live token a user made (when the user is disabled); returns their ids. */
export async function revokeUserApiTokens(tx: TransactionSql, userId: number, revokedBy: number) {
  const rows = await tx<{ id: number }[]>`
    update api_tokens set revoked_at = now(), revoked_by = (select id from users where id = ${revokedBy})
    where created_by = ${userId} and revoked_at is null returning id`;
  return rows.map((row) => row.id);
}

/** Revokes a token; returns false when there is no such token or it was already revoked. */
export async function revokeApiToken(tx: TransactionSql, id: number, revokedBy: number): Promise<boolean> {
  const rows = await tx`
    update api_tokens set revoked_at = now(), revoked_by = (select id from users where id = ${revokedBy})
    where id = ${id} and revoked_at is null returning id`;
  return rows.length === 1;
}

/** Whether a token id exists at all (to tell "not found" from "already revoked"). */
export async function apiTokenExists(tx: TransactionSql, id: number): Promise<boolean> {
  const rows = await tx`select 1 from api_tokens where id = ${id}`;
  return rows.length === 1;
}

/** Every token, live ones first, newest first. */
export function listApiTokens(sql: Sql): Promise<ApiTokenSummary[]> {
  return sql<ApiTokenSummary[]>`
    select t.id, t.name, t.role, t.token_prefix as "tokenPrefix", u.username as "createdBy",
      t.created_at as "createdAt", t.expires_at as "expiresAt", t.last_used_at as "lastUsedAt",
      t.revoked_at as "revokedAt"
    from api_tokens t left join users u on u.id = t.created_by
    order by (t.revoked_at is null and (t.expires_at is null or t.expires_at > now())) desc, t.id desc
    limit 500`;
}
