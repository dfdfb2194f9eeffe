import { ensureFirstUsers, type FirstUser } from "../auth/first_users.ts";
import { type SeedResult, seedSampleData } from "../import/seed.ts";
import type { Services } from "../services.ts";
import { runJob } from "../../jobs/runner.ts";
import { findJob } from "../api/domains.ts";
import { ensureDefaultAlertRules } from "../alerts/default_rules.ts";
import { evaluateAlertRules } from "../alerts/evaluate_rules.ts";
import { addSamplePurchaseOrders, labelSampleFraudHistory } from "../import/sample_life.ts";
import { syncStockAlertsNow } from "../alerts/stock_alert_sync.ts";
import { scoreImportedSample } from "../fraud/rescore.ts";
import { syncOrderRefSequence } from "../transactions/order_ref.ts";

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
  // Sales made in the app number on from the sample's (or an imported file's) highest TM- reference
  await syncOrderRefSequence(services.db.sql);
  if (seed && !seed.alreadyPresent) {
    // Scores first: the views and segments derived next include them
    await scoreImportedSample(services);
    await bringSampleToLife(services);
  }
  return { firstUsers, seed };
}

/** The jobs the first start runs at once, in this order, instead of waiting for their schedule. */
export const startUpJobs = [
  "customer-patterns",
  "inventory-predictions",
  "reorder-suggestions",
  "refresh-views",
  "daily-sales-report",
] as const;

/**
 * Makes a freshly imported shop look as if it had been running: its history (purchase orders in
 * every state, analysts' fraud verdicts), what the background jobs would otherwise only have hours
 * later (segments, forecasts, suggestions, views, yesterday's report), run through the job runner
 * so the Jobs page shows them; then the default alert rules and the alerts the current state calls for.
 */
export async function bringSampleToLife(services: Services): Promise<void> {
  const now = new Date();
  await addSamplePurchaseOrders(services.db.sql, now);
  await labelSampleFraudHistory(services.db.sql, { now });
  for (const name of startUpJobs) {
    const outcome = await runJob(services, findJob(name)!, {
      instance: "start-up",
      slot: now,
      backoffMs: () => 1_000,
    });
    if (outcome.status === "failed") {
      services.log.warn("a start-up job failed", { job: name, error: outcome.error });
    }
  }
  await ensureDefaultAlertRules(services.db.sql);
  await syncStockAlertsNow(services);
  await evaluateAlertRules(services, now);
}
