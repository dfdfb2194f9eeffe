import type { Config } from "./config.ts";
import type { Database } from "./db/mod.ts";
import type { EventBus } from "./events/bus.ts";
import type { Kv } from "./kv/mod.ts";
import type { Logger } from "./log.ts";

/** The long-lived parts every request and job uses, created once in main.ts (or by a test). */
export interface Services {
  config: Config;
  db: Database;
  kv: Kv;
  bus: EventBus;
  log: Logger;
  startedAt: Date;
}
