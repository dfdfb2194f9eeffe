import type { Kv } from "../kv/mod.ts";

/**
 * Sign-in throttling. Failures are counted per (address, account) and per address, and past a few
 * free ones each further failure makes that address wait twice as long as the last. An account
 * under attack from many addresses is only slowed down (a short wait before the answer), never
 * refused: a stranger can slow an account's owner by seconds at most, never lock them out.
 */
export const signInLimits = {
  /** failures from one address on one account before each further one makes it wait */
  pairFreeFailures: 3,
  /** failures from one address over all accounts before each further one makes it wait */
  addressFreeFailures: 10,
  /** the first wait; each further failure doubles it */
  baseDelayMs: 2_000,
  /** the longest wait of an address */
  maxDelayMs: 30 * 60_000,
  /** failures on one account from all addresses before its sign-ins are slowed down (never refused) */
  accountFreeFailures: 50,
  /** the slow-down grows by this much per failure past the free ones... */
  accountStepMs: 100,
  /** ...up to this: enough to make guessing from many addresses slow, short enough for the owner */
  accountMaxSlowdownMs: 2_000,
  /** failures count in windows this long */
  windowMs: 60 * 60_000,
  /** attempts of any result per address per minute: bounds guessing in parallel */
  addressAttemptsPerMinute: 100,
  /**
   * attempts of any result from one address on one account per minute: tries sent all at once pass
   * the gate before the first failure sets a wait, so this bounds such a burst
   */
  pairAttemptsPerMinute: 10,
};

/**
 * How long an address waits after its `failures`-th failure: nothing for the first `free`, then
 * `baseMs`, doubling, at most `maxMs`.
 * @example backoffMs(5, { free: 3, baseMs: 2_000, maxMs: 60_000 }) // 4_000
 */
export function backoffMs(failures: number, limits: { free: number; baseMs: number; maxMs: number }): number {
  if (failures <= limits.free) return 0;
  return Math.min(limits.maxMs, limits.baseMs * 2 ** Math.min(30, failures - limits.free - 1));
}

/** The slow-down of every sign-in to an account after `failures` failures on it from anywhere. */
export function accountSlowdownMs(failures: number): number {
  const over = failures - signInLimits.accountFreeFailures;
  return over <= 0 ? 0 : Math.min(signInLimits.accountMaxSlowdownMs, over * signInLimits.accountStepMs);
}

/** Whether a sign-in may be tried now (after `slowdownMs`); when not, how long the address waits and why. */
export type LoginGate =
  | { allowed: true; slowdownMs: number }
  | { allowed: false; retryAfterSeconds: number; scope: "account-from-address" | "address" };

export interface SignInWho {
  username: string;
  ip: string;
}

// Account names are encoded so one can never be a prefix of another's keys ("a" and "a:b")
function keys(prefix: string, who: SignInWho) {
  const account = encodeURIComponent(who.username.trim().toLowerCase().slice(0, 100));
  const ip = encodeURIComponent(who.ip);
  return {
    pairPrefix: `${prefix}:login:pair:${account}:`,
    pairFailures: `${prefix}:login:pair:${account}:fail:${ip}`,
    pairWait: `${prefix}:login:pair:${account}:wait:${ip}`,
    accountPrefix: `${prefix}:login:account:${account}:`,
    accountFailures: `${prefix}:login:account:${account}:fail`,
    accountSlowdown: `${prefix}:login:account:${account}:slow`,
    addressFailures: `${prefix}:login:address:${ip}:fail`,
    addressWait: `${prefix}:login:address:${ip}:wait`,
    addressAttempts: `${prefix}:login:address:${ip}:try`,
    pairAttempts: `${prefix}:login:pair:${account}:try:${ip}`,
  };
}

/** Checks the waits on this address (for this account and overall) and counts the attempt. */
export async function checkLoginGate(
  kv: Kv,
  prefix: string,
  who: SignInWho,
  now: number = Date.now(),
): Promise<LoginGate> {
  const k = keys(prefix, who);
  const [pairWait, addressWait, slowdown] = await Promise.all([
    kv.get(k.pairWait),
    kv.get(k.addressWait),
    kv.get(k.accountSlowdown),
  ]);
  const pairUntil = Number(pairWait ?? 0);
  const addressUntil = Number(addressWait ?? 0);
  const until = Math.max(pairUntil, addressUntil);
  if (until > now) {
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
      scope: pairUntil >= addressUntil ? "account-from-address" : "address",
    };
  }
  const [addressAttempts, pairAttempts] = await Promise.all([
    kv.hit(k.addressAttempts, signInLimits.addressAttemptsPerMinute, 60_000),
    kv.hit(k.pairAttempts, signInLimits.pairAttemptsPerMinute, 60_000),
  ]);
  if (!addressAttempts.allowed) {
    return {
      allowed: false,
      retryAfterSeconds: Math.ceil(addressAttempts.retryAfterMs / 1000),
      scope: "address",
    };
  }
  if (!pairAttempts.allowed) {
    return {
      allowed: false,
      retryAfterSeconds: Math.ceil(pairAttempts.retryAfterMs / 1000),
      scope: "account-from-address",
    };
  }
  return { allowed: true, slowdownMs: Number(slowdown ?? 0) };
}

/**
 * Counts a failed sign-in against the address, the (address, account) pair and the account, and
 * sets the waits they have earned. Returns the wait of this address, in milliseconds.
 */
export async function recordLoginFailure(
  kv: Kv,
  prefix: string,
  who: SignInWho,
  now: number = Date.now(),
): Promise<number> {
  const k = keys(prefix, who);
  const { windowMs, baseDelayMs: baseMs, maxDelayMs: maxMs } = signInLimits;
  const [pair, address, account] = await Promise.all(
    [k.pairFailures, k.addressFailures, k.accountFailures].map((key) =>
      kv.hit(key, Number.MAX_SAFE_INTEGER, windowMs)
    ),
  );
  const pairDelay = backoffMs(pair.count, { free: signInLimits.pairFreeFailures, baseMs, maxMs });
  const addressDelay = backoffMs(address.count, { free: signInLimits.addressFreeFailures, baseMs, maxMs });
  const slowdown = accountSlowdownMs(account.count);
  await Promise.all([
    pairDelay > 0 ? kv.set(k.pairWait, String(now + pairDelay), pairDelay) : null,
    addressDelay > 0 ? kv.set(k.addressWait, String(now + addressDelay), addressDelay) : null,
    slowdown > 0 ? kv.set(k.accountSlowdown, String(slowdown), windowMs) : null,
  ]);
  return Math.max(pairDelay, addressDelay);
}

/**
 * Forgets the account's failures from this address and from everywhere after a correct password.
 * The address's own count stays: signing in to one's own account must not wipe guesses at others.
 */
export async function recordLoginSuccess(kv: Kv, prefix: string, who: SignInWho): Promise<void> {
  const k = keys(prefix, who);
  await Promise.all([
    kv.deleteByPrefix(`${k.pairFailures}:`),
    kv.delete(k.pairWait),
    kv.deleteByPrefix(k.accountPrefix),
  ]);
}

/** Lifts every wait and slow-down on an account, from all addresses (an admin cleared it). */
export async function clearSignInThrottle(kv: Kv, prefix: string, username: string): Promise<number> {
  const k = keys(prefix, { username, ip: "" });
  const counts = await Promise.all([kv.deleteByPrefix(k.pairPrefix), kv.deleteByPrefix(k.accountPrefix)]);
  return counts[0] + counts[1];
}
