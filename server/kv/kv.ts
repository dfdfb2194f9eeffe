/** Result of counting one hit against a rate limit window. */
export interface RateLimitResult {
  allowed: boolean;
  /** hits in the current window, this one included */
  count: number;
  remaining: number;
  /** milliseconds until the window resets (0 when allowed) */
  retryAfterMs: number;
}

/**
 * Cache, publish/subscribe and rate-limit counters behind one interface: Redis when REDIS_URL is
 * set, in-process otherwise. Both pass the same contract tests (kv_contract_test.ts).
 */
export interface Kv {
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | null>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Deletes every key starting with `prefix`; returns how many went. */
  deleteByPrefix(prefix: string): Promise<number>;
  /** Atomically adds one and returns the new value (a missing key counts from 0). */
  increment(key: string): Promise<number>;
  /**
   * Atomically sets `key` to the larger of its value plus one and `atLeast`, and returns it: a
   * counter that never runs backwards, even after the store lost it (Redis keeps nothing on disk).
   */
  nextSequence(key: string, atLeast: number): Promise<number>;
  publish(channel: string, message: string): Promise<void>;
  /**
   * In one atomic step (one round trip on Redis): draws the next numbers of the `nextSequence` counter
   * `key` (the first at least `atLeast`, the others one more each) and publishes on `channel`, in order,
   * one message per entry, `head` + its number + `tail`. Returns the numbers.
   */
  publishNumbered(
    key: string,
    atLeast: number,
    channel: string,
    messages: { head: string; tail: string }[],
  ): Promise<number[]>;
  /** Calls `listener` for each message on `channel` until the returned function is called. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
  /** Counts one hit on `key` in a fixed window of `windowMs`, allowing `limit` hits per window. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Round-trip time in milliseconds; throws when the store is unreachable. */
  ping(): Promise<number>;
  close(): Promise<void>;
}
