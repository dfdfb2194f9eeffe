import { stockAlertSyncsOf } from "../alerts/stock_alert_sync.ts";
import type { Caller, Role } from "../trpc/roles.ts";
import { createEventBus } from "../events/bus.ts";
import { createMemoryKv, createRedisKv, withNamespace } from "../kv/mod.ts";
import { readInstallationId } from "../auth/installation.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { createServerCaller } from "../api/server_caller.ts";
import type { Services } from "../services.ts";
import { openTestDatabase, type TestDatabase } from "./test_database.ts";

/** Services on a fresh test database, plus API callers acting with a given role. */
export interface TestServices {
  services: Services;
  database: TestDatabase;
  /** The API called in-process as a caller with `role` (or anonymous with null). */
  api(role: Role | null, caller?: Partial<Caller>): ReturnType<typeof createServerCaller>;
  close(): Promise<void>;
}

/**
 * Opens a migrated test database and the KV store the environment names (Redis with REDIS_URL,
 * in-process otherwise).
 */
export async function openTestServices(): Promise<TestServices> {
  const database = await openTestDatabase();
  const redisUrl = Deno.env.get("REDIS_URL");
  const store = redisUrl ? await createRedisKv(redisUrl) : createMemoryKv();
  // Test databases share the machine's Redis: each sees only its own cache, counters and events
  const kv = withNamespace(store, `techmart:${await readInstallationId(database.sql)}`);
  const log = createLogger((Deno.env.get("TEST_LOG_LEVEL") as "debug" | undefined) ?? "error");
  const bus = await createEventBus(kv, log);
  const config = loadConfig({ DATABASE_URL: database.kind === "postgres" ? database.url : undefined });
  const services: Services = {
    config,
    db: {
      sql: database.sql,
      saleSql: database.saleSql,
      kind: database.kind,
      url: database.url,
      close: () => database.close(),
    },
    kv,
    bus,
    log,
    startedAt: new Date(),
  };
  return {
    services,
    database,
    api(role, caller) {
      const acting: Caller | null = role
        ? { userId: 0, username: `test-${role}`, role, via: "session", ...caller }
        : null;
      return createServerCaller(services, acting);
    },
    async close() {
      // what sales queued for after their answer
      await stockAlertSyncsOf(services).settled();
      await bus.close();
      await kv.close();
      await database.close();
    },
  };
}
