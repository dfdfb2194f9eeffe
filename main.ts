import { ConfigError, loadConfig } from "./server/config.ts";
import { describeFirstUsers } from "./server/auth/first_users.ts";
import { createLogger } from "./server/log.ts";
import { type FirstStartReport, prepareFirstStart } from "./server/prepare.ts";
import { startApp } from "./server/start.ts";

/** Entry point: config -> database -> migrations -> sample data -> HTTP server and jobs. */
async function main() {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  let firstStart: FirstStartReport | undefined;
  const app = await startApp(config, {
    log,
    prepare: async (services) => {
      firstStart = await prepareFirstStart(services);
    },
  });
  console.log(`TechMart Analytics is ready at ${app.url}`);
  for (const line of describeFirstUsers(firstStart?.firstUsers ?? [], app.url)) console.log(line);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("Stopping: finishing requests and closing the database");
    await app.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`Cannot start TechMart: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
