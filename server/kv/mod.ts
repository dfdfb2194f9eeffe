import type { Config } from "../config.ts";
import type { Kv } from "./kv.ts";
import { createMemoryKv } from "./memory.ts";
import { createRedisKv } from "./redis.ts";

export type { Kv, RateLimitResult } from "./kv.ts";
export { createMemoryKv } from "./memory.ts";
export { createRedisKv } from "./redis.ts";
export { withNamespace } from "./namespaced.ts";

/** Redis when REDIS_URL is set, the in-process store otherwise. */
export function openKv(config: Pick<Config, "REDIS_URL">): Promise<Kv> {
  return config.REDIS_URL ? createRedisKv(config.REDIS_URL) : Promise.resolve(createMemoryKv());
}
