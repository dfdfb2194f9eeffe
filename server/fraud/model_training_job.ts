/** The daily fraud model training: a candidate version from the labeled history, when there are enough labels. */
import { activeFraudRules } from "./active_rules.ts";
import { trainShopModel } from "./model/train_shop.ts";
import type { JobDefinition, JobResult, JobServices } from "../domain.ts";

export async function runFraudModelTraining(services: JobServices): Promise<JobResult> {
  const rules = await activeFraudRules(services);
  const trained = await trainShopModel(services.db.sql, rules, { trainedBy: "job" });
  if (!trained) return { rows: 0, details: { skipped: "too few labels" } };
  return { rows: trained.labeledRows, details: { version: trained.version, ...trained.metrics } };
}

/** The fraud model training job's schedule, declared in this domain's mod.ts. */
export const fraudModelTrainingJob: JobDefinition = {
  name: "fraud-model-training",
  schedule: "40 3 * * *",
  every: "daily at 03:40 UTC",
  description: "Trains a candidate fraud model on the labeled history (activated by an admin)",
  run: (services) => runFraudModelTraining(services),
  attempts: 1,
  timeoutMs: 30 * 60_000,
};
