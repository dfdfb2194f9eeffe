import { createClient } from "redis";
import type { Kv, RateLimitResult } from "./kv.ts";
import { createMemoryKv } from "./memory.ts";
import { shownAddress } from "../shared/shown_address.ts";

type RedisClient = ReturnType<typeof createClient>;

/** Retries of the first connection before a start gives up (50 ms doubling to 2 s: about 7 s). */
const FIRST_CONNECT_RETRIES = 8;

/**
 * Kv on Redis (node-redis). Pub/sub needs its own connection, opened on first subscribe.
 * Reconnects with backoff; callers see errors while Redis is away instead of hanging.
 */
export async function createRedisKv(url: string): Promise<Kv> {
  let connectedOnce = false;
  const client: RedisClient = createClient({
    url,
    socket: {
      // Once connected, a lost Redis is retried for as long as it takes. The first connection gives up after
      // FIRST_CONNECT_RETRIES (~7 s): a start with a wrong REDIS_URL used to wait forever without a word
      reconnectStrategy: (retries: number) =>
        !connectedOnce && retries >= FIRST_CONNECT_RETRIES ? false : Math.min(50 * 2 ** retries, 2_000),
      connectTimeout: 2_000,
    },
    // Fail fast instead of queueing commands while disconnected: the cache is optional, a hang is not
    disableOfflineQueue: true,
  });
  client.on("error", () => {}); // reconnects are handled by reconnectStrategy; errors reach callers
  try {
    await client.connect();
  } catch (cause) {
    throw new Error(
      `Cannot reach Redis at ${shownAddress(url)} (${(cause as Error).message || String(cause)}): ` +
        "is it running? Check REDIS_URL, or leave it unset to run one instance without Redis",
      { cause },
    );
  }
  connectedOnce = true;
  let subscriber: RedisClient | undefined;
  // While Redis is away, limits are counted in-process: per instance instead of shared, but still limits
  const localLimits = createMemoryKv();

  async function subscriberClient(): Promise<RedisClient> {
    if (!subscriber) {
      subscriber = client.duplicate();
      subscriber.on("error", () => {});
      await subscriber.connect();
    }
    return subscriber;
  }

  return {
    kind: "redis",
    get: (key) => client.get(key),
    async set(key, value, ttlMs) {
      await client.set(key, value, { expiration: { type: "PX", value: Math.max(1, Math.round(ttlMs)) } });
    },
    async delete(key) {
      await client.del(key);
    },
    async deleteByPrefix(prefix) {
      let deleted = 0;
      for await (const keys of client.scanIterator({ MATCH: `${escapeGlob(prefix)}*`, COUNT: 500 })) {
        if (keys.length) deleted += await client.del(keys);
      }
      return deleted;
    },
    increment: (key) => client.incr(key),
    async nextSequence(key, atLeast) {
      // Integers below 2^53 survive Lua's doubles; SET of a Lua number writes it without an exponent
      return Number(await client.eval(nextSequenceScript, { keys: [key], arguments: [String(atLeast)] }));
    },
    async publish(channel, message) {
      await client.publish(channel, message);
    },
    async publishNumbered(key, atLeast, channel, messages) {
      const numbers = await client.eval(publishNumberedScript, {
        keys: [key],
        arguments: [String(atLeast), channel, ...messages.flatMap(({ head, tail }) => [head, tail])],
      }) as number[];
      return numbers.map(Number);
    },
    async subscribe(channel, listener) {
      const sub = await subscriberClient();
      await sub.subscribe(channel, listener);
      return async () => {
        await sub.unsubscribe(channel, listener);
      };
    },
    async hit(key, limit, windowMs): Promise<RateLimitResult> {
      try {
        return await sharedHit(key, limit, windowMs);
      } catch {
        return await localLimits.hit(key, limit, windowMs);
      }
    },
    async ping() {
      const start = performance.now();
      await client.ping();
      return performance.now() - start;
    },
    async close() {
      await localLimits.close();
      await subscriber?.close().catch(() => {});
      await client.close().catch(() => {});
    },
  };

  async function sharedHit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const time = Date.now();
    const windowStart = Math.floor(time / windowMs) * windowMs;
    const bucketKey = `${key}:${windowStart}`;
    const [count] = await client.multi().incr(bucketKey).pExpire(bucketKey, windowMs).exec() as unknown as [
      number,
      number,
    ];
    const allowed = count <= limit;
    return {
      allowed,
      count,
      remaining: Math.max(0, limit - count),
      retryAfterMs: allowed ? 0 : windowStart + windowMs - time,
    };
  }
}

const nextSequenceScript = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
local floor = tonumber(ARGV[1])
if floor > value then value = floor end
redis.call('SET', KEYS[1], value)
return value`;

// %d writes the number without an exponent (Lua's tostring would give 1.76e+14 past 14 digits)
const publishNumberedScript = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
local numbers = {}
for i = 1, (#ARGV - 2) / 2 do
  value = value + 1
  if i == 1 and tonumber(ARGV[1]) > value then value = tonumber(ARGV[1]) end
  redis.call('PUBLISH', ARGV[2], ARGV[2 * i + 1] .. string.format('%d', value) .. ARGV[2 * i + 2])
  numbers[i] = value
end
redis.call('SET', KEYS[1], string.format('%d', value))
return numbers`;

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
