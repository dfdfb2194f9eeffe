import type { Kv } from "../kv/mod.ts";

/** Limits on password guessing; a lock lasts `lockMs` once failures reach the limit in a window. */
export const loginLimits = {
  /** failed logins per account per window before the account is locked */
  accountFailures: 5,
  /** failed logins per client address per window before the address is locked */
  ipFailures: 50,
  /** login attempts (any result) per client address per minute: bounds parallel guessing */
  ipAttemptsPerMinute: 100,
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
};

/** Whether a login may be tried now; when not, for how long it is refused and why. */
export type LoginGate =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; scope: "account" | "address" };

function keys(prefix: string, username: string, ip: string) {
  const account = username.trim().toLowerCase().slice(0, 100);
  return {
    accountFailures: `${prefix}:login:fail:user:${account}`,
    accountLock: `${prefix}:login:lock:user:${account}`,
    ipFailures: `${prefix}:login:fail:ip:${ip}`,
    ipLock: `${prefix}:login:lock:ip:${ip}`,
    ipAttempts: `${prefix}:login:try:ip:${ip}`,
  };
}

/** Checks the locks on the account and the address, and counts this attempt against the address. */
export async function checkLoginGate(
  kv: Kv,
  prefix: string,
  attempt: { username: string; ip: string },
  now: number = Date.now(),
): Promise<LoginGate> {
  const k = keys(prefix, attempt.username, attempt.ip);
  const [accountLock, ipLock] = await Promise.all([kv.get(k.accountLock), kv.get(k.ipLock)]);
  const lockedUntil = Math.max(Number(accountLock ?? 0), Number(ipLock ?? 0));
  if (lockedUntil > now) {
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)),
      scope: Number(accountLock ?? 0) >= Number(ipLock ?? 0) ? "account" : "address",
    };
  }
  const attempts = await kv.hit(k.ipAttempts, loginLimits.ipAttemptsPerMinute, 60_000);
  if (!attempts.allowed) {
    return { allowed: false, retryAfterSeconds: Math.ceil(attempts.retryAfterMs / 1000), scope: "address" };
  }
  return { allowed: true };
}

/** Counts a failed login; locks the account or the address when it reaches its limit. */
export async function recordLoginFailure(
  kv: Kv,
  prefix: string,
  attempt: { username: string; ip: string },
  now: number = Date.now(),
): Promise<void> {
  const k = keys(prefix, attempt.username, attempt.ip);
  const [account, address] = await Promise.all([
    kv.hit(k.accountFailures, loginLimits.accountFailures, loginLimits.windowMs),
    kv.hit(k.ipFailures, loginLimits.ipFailures, loginLimits.windowMs),
  ]);
  const unlockAt = String(now + loginLimits.lockMs);
  if (account.count >= loginLimits.accountFailures) {
    await kv.set(k.accountLock, unlockAt, loginLimits.lockMs);
  }
  if (address.count >= loginLimits.ipFailures) await kv.set(k.ipLock, unlockAt, loginLimits.lockMs);
}

/** Lifts the lock on an account (an admin reset its password). */
export async function clearAccountLock(kv: Kv, prefix: string, username: string): Promise<void> {
  const k = keys(prefix, username, "");
  await kv.delete(k.accountLock);
}
