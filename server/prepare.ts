import { ensureFirstUsers, type FirstUser } from "./auth/first_users.ts";
import { type SeedResult, seedSampleData } from "./import/seed.ts";
import type { Services } from "./services.ts";
import { runCustomerPatterns } from "../jobs/customer_patterns.ts";
import { runInventoryPredictions } from "../jobs/predictions.ts";
import { runRefreshViews } from "../jobs/refresh_views.ts";
import { runReorderSuggestions } from "../jobs/reorder_suggestions.ts";
import { scoreImportedSample } from "./fraud/rescore.ts";

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
  if (seed && !seed.alreadyPresent) {
    // Scores first: the views and segments derived next include them
    await scoreImportedSample(services);
    await deriveFromHistory(services);
  }
  return { firstUsers, seed };
}

/**
 * Computes what the background jobs would otherwise only have hours later (customer segments,
 * forecasts, reorder suggestions, the views), so a freshly imported shop shows everything at once.
 */
async function deriveFromHistory(services: Services): Promise<void> {
  await runCustomerPatterns(services);
  await runInventoryPredictions(services);
  await runReorderSuggestions(services);
  await runRefreshViews(services);
}
