import { site } from "./fresh.config.ts";
import { ConfigError, loadConfig } from "./server/config.ts";
import { describeFirstUsers } from "./server/auth/first_users.ts";
import { createLogger } from "./server/log.ts";
import type { SeedResult } from "./server/import/seed.ts";
import { type FirstStartReport, prepareFirstStart } from "./server/app/prepare.ts";
import { startApp } from "./server/app/start.ts";

/** Entry point: config -> database -> migrations -> sample data -> HTTP server and jobs. */
async function main() {
  let config;
  try {
    const env = Deno.env.toObject();
    // `deno task start --simulate`: the same as SIMULATE_TRAFFIC=on, unless the variable says otherwise
    if (Deno.args.includes("--simulate") && !env.SIMULATE_TRAFFIC) env.SIMULATE_TRAFFIC = "on";
    config = loadConfig(env);
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
    site,
    prepare: async (services) => {
      firstStart = await prepareFirstStart(services);
    },
  });
  console.log(describeSeed(firstStart?.seed ?? null));
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

function describeSeed(seed: SeedResult | null): string {
  if (!seed) return "Sample data: off (SEED_SAMPLE_DATA=never)";
  if (seed.alreadyPresent) return "Sample data: already there, nothing imported";
  const count = new Intl.NumberFormat("en-GB");
  return `Imported ${count.format(seed.transactions)} transactions, ${
    count.format(seed.products)
  } products, ` +
    `${count.format(seed.customers)} customers and ${count.format(seed.suppliers)} suppliers` +
    (seed.rejected ? ` (${count.format(seed.rejected)} rows rejected)` : "");
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`Cannot start TechMart: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
