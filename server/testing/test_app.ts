import { connect } from "../db/sql.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import type { Services } from "../services.ts";
import { type RunningApp, startApp } from "../start.ts";

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
  options: { env?: Record<string, string>; prepare?: (services: Services) => Promise<void> } = {},
): Promise<TestApp> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  const redisUrl = Deno.env.get("REDIS_URL");
  const env: Record<string, string> = { PORT: "0", JOBS: "off", ...options.env };
  let dropDatabase = async () => {};
  let tempDir: string | undefined;
  if (serverUrl && !env.DATABASE_URL) {
    const name = `techmart_app_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = connect(serverUrl, { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else if (!env.DATABASE_URL && !env.DATA_DIR) {
    tempDir = await Deno.makeTempDir({ prefix: "techmart-app-" });
    env.DATA_DIR = tempDir;
  }
  if (redisUrl && !env.REDIS_URL) env.REDIS_URL = redisUrl;
  const log = createLogger((Deno.env.get("TEST_LOG_LEVEL") as "debug" | undefined) ?? "error");
  const app = await startApp(loadConfig(env), { log, prepare: options.prepare });
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
