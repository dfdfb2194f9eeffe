import type { Services } from "../services.ts";
import { recordAudit } from "./audit.ts";
import { limitKeyPrefix } from "./installation.ts";
import { checkLoginGate, recordLoginFailure, recordLoginSuccess } from "./login_throttle.ts";
import { decoyHash, hashPassword, maxPasswordLength, needsRehash, verifyPassword } from "./password.ts";
import type { Role } from "../trpc/roles.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { createSession, deleteExpiredSessions, deleteSessionByToken, type NewSession } from "./sessions.ts";
import { findLoginRecord, touchLastLogin, updateUserPassword } from "./users_queries.ts";

/** The outcome of a sign-in attempt; `message` is safe to show. */
export type SignInResult =
  | { status: "ok"; session: NewSession; user: { id: number; username: string; role: Role } }
  | { status: "invalid" | "disabled"; message: string }
  | { status: "throttled"; message: string; retryAfterSeconds: number };

export interface SignInAttempt {
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
  /** the session token the browser still holds, if any: it is ended, so sign-in always rotates */
  previousToken?: string;
}

/**
 * Checks a username and password (throttled per address and per address and account, see
 * login_throttle.ts) and starts a new session.
 * Unknown usernames cost the same time as wrong passwords, and get the same answer.
 */
export async function signIn(services: Services, attempt: SignInAttempt): Promise<SignInResult> {
  const { sql } = services.db;
  const prefix = limitKeyPrefix;
  const who = { username: attempt.username, ip: attempt.ip };
  const gate = await checkLoginGate(services.kv, prefix, who);
  if (!gate.allowed) {
    const wait = waitInWords(gate.retryAfterSeconds);
    return {
      status: "throttled",
      retryAfterSeconds: gate.retryAfterSeconds,
      message: gate.scope === "account-from-address"
        ? `Too many failed sign-ins to this account from your address: try again in ${wait}`
        : `Too many failed sign-ins from your address: try again in ${wait}`,
    };
  }
  // an account guessed at from many addresses answers slowly, for everyone, but never refuses
  if (gate.slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.slowdownMs));
  const username = attempt.username.trim();
  const record = username.length > 0 && username.length <= 100
    ? await findLoginRecord(sql, username)
    : undefined;
  const passwordOk = attempt.password.length <= maxPasswordLength &&
    await verifyPassword(attempt.password, record?.passwordHash ?? await decoyHash());
  if (!record || !passwordOk) {
    await recordLoginFailure(services.kv, prefix, who);
    await recordAudit(sql, {
      caller: null,
      action: "auth.login_failed",
      entityType: "user",
      entityId: record?.id ?? null,
      details: { username: username.slice(0, 100) },
      ip: attempt.ip,
    });
    return { status: "invalid", message: "Wrong username or password" };
  }
  if (record.isDisabled) {
    return { status: "disabled", message: "This account is disabled: ask an administrator to enable it" };
  }
  await recordLoginSuccess(services.kv, prefix, who);
  if (needsRehash(record.passwordHash)) {
    await updateUserPassword(sql, record.id, await hashPassword(attempt.password));
  }
  let replacedSession: string | undefined;
  const session = await sql.begin(async (tx) => {
    if (attempt.previousToken) replacedSession = await deleteSessionByToken(tx, attempt.previousToken);
    const created = await createSession(tx, record.id, { ip: attempt.ip, userAgent: attempt.userAgent });
    await touchLastLogin(tx, record.id);
    await recordAudit(tx, {
      caller: { userId: record.id, username: record.username, role: record.role, via: "session" },
      action: "auth.login",
      entityType: "user",
      entityId: record.id,
      ip: attempt.ip,
    });
    return created;
  });
  if (replacedSession) {
    await publishAccessRevoked(services, { sessionIdHash: replacedSession, reason: "signed_out" });
  }
  // Sign-ins are rare and the expiry index makes this cheap: the table stays small without a job
  await deleteExpiredSessions(sql).catch((error) =>
    services.log.warn("expired session cleanup failed", { error })
  );
  return { status: "ok", session, user: { id: record.id, username: record.username, role: record.role } };
}

/** "40 seconds", "1 minute", "12 minutes". */
export function waitInWords(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
