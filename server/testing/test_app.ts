import { site } from "../../fresh.config.ts";
import { loadConfig } from "../config.ts";
import { createLogger, type Logger } from "../log.ts";
import type { Services } from "../services.ts";
import { type RunningApp, startApp } from "../app/start.ts";
import { createServerDatabase, fillEmbeddedDataDir } from "./test_database.ts";

/** A real HTTP server of the app on a free port, on a database of its own. */
export interface TestApp extends RunningApp {
  /** fetch() relative to the app's URL */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Starts the app on port 0: with DATABASE_URL, on a fresh database of that server (dropped on
 * stop); without it, on an embedded database in a temporary folder. `env` adds settings.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    prepare?: (services: Services) => Promise<void>;
    /** where the app logs (default: stderr, at TEST_LOG_LEVEL or error) */
    log?: Logger;
  } = {},
): Promise<TestApp> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  const redisUrl = Deno.env.get("REDIS_URL");
  const env: Record<string, string> = { PORT: "0", JOBS: "off", ...options.env };
  let dropDatabase = async () => {};
  let tempDir: string | undefined;
  if (serverUrl && !env.DATABASE_URL) {
    const database = await createServerDatabase(serverUrl, { prefix: "techmart_app" });
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  } else if (!env.DATABASE_URL && !env.DATA_DIR) {
    tempDir = await Deno.makeTempDir({ prefix: "techmart-app-" });
    env.DATA_DIR = tempDir;
  }
  if (redisUrl && !env.REDIS_URL) env.REDIS_URL = redisUrl;
  // a migrated copy: the app's own migrate() then finds nothing to do (initdb + migrations cost seconds)
  if (tempDir) await fillEmbeddedDataDir(tempDir, { newInstallationId: env.REDIS_URL !== undefined });
  const log = options.log ?? createLogger((Deno.env.get("TEST_LOG_LEVEL") as "debug" | undefined) ?? "error");
  const app = await startApp(loadConfig(env), { log, prepare: options.prepare, site });
  return {
    ...app,
    fetch: (path, init) => fetch(new URL(path, app.url), init),
    async stop() {
      await app.stop();
      await dropDatabase();
      if (tempDir) await Deno.remove(tempDir, { recursive: true }).catch(() => {});
    },
  };
}
