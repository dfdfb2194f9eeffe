/**
 * `deno task users list | add NAME --role ROLE | reset-password NAME`: accounts from the server's
 * shell, e.g. when the only admin lost their password. Uses the app's settings (DATABASE_URL, or the
 * embedded database in DATA_DIR, which must not be open in a running app at the same time).
 */
import { ConfigError, loadConfig } from "../server/config.ts";
import { DataDirLockedError, openDatabase } from "../server/db/mod.ts";
import { migrate, readMigrations } from "../server/db/migrate.ts";
import { runUsersCommand } from "../server/auth/users_cli.ts";
import { setStoreSettings } from "../server/shared/format.ts";
import { createLogger } from "../server/log.ts";

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  setStoreSettings({
    currency: config.STORE_CURRENCY,
    locale: config.STORE_LOCALE,
    timeZone: config.STORE_TZ,
  });
  let database;
  try {
    database = await openDatabase(config, createLogger("warn"));
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`${error.message}\nStop the app first: its embedded database is open.`);
      return 1;
    }
    throw error;
  }
  try {
    await migrate(database.sql, await readMigrations());
    return await runUsersCommand(Deno.args, {
      sql: database.sql,
      print: (line) => console.log(line),
      readPassword: readFirstLine,
    });
  } finally {
    await database.close();
  }
}

async function readFirstLine(): Promise<string | null> {
  const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  return text ? text.split("\n")[0] : null;
}

Deno.exit(await main());
