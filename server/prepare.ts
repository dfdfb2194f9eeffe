import { ensureFirstUsers, type FirstUser } from "./auth/first_users.ts";
import { type SeedResult, seedSampleData } from "./import/seed.ts";
import type { Services } from "./services.ts";

/** What first-start preparation did, for the start-up output. */
export interface FirstStartReport {
  /** accounts created because there were none (with passwords to print once) */
  firstUsers: FirstUser[];
  /** what the sample-data import added, or that data was already there (null when seeding is off) */
  seed: SeedResult | null;
}

/**
 * Runs after migrations, before serving: imports the sample shop into an empty database, and
 * creates the first accounts when there are none (demo accounts too on the embedded sample setup).
 */
export async function prepareFirstStart(services: Services): Promise<FirstStartReport> {
  const firstUsers = await ensureFirstUsers(services, {
    demoUsers: services.db.kind === "embedded",
    adminPassword: services.config.ADMIN_PASSWORD,
  });
  const seed = services.config.SEED_SAMPLE_DATA === "auto" ? await seedSampleData(services.db.sql) : null;
  return { firstUsers, seed };
}
