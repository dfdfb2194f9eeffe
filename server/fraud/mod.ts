/**
 * Fraud scoring: pure functions over plain data. Callers fetch the customer's history, score with
 * `scoreTransaction`, and measure rules with `evaluate`/`replayStream`. And the fraud domain's contribution.
 */
import { defineDomain } from "../domain.ts";
import { fraudRouter } from "./router.ts";
import { fraudModelTrainingJob } from "./model_training_job.ts";

export { decide, scoreTransaction } from "./score.ts";
export { DEFAULT_FRAUD_RULES, type FraudRules, fraudRulesSchema } from "./rules.ts";
export { highResaleUnits } from "./checks/high_resale.ts";
export { medianAndMad, quantityStatsFromHistogram } from "./robust_stats.ts";
export { localHour } from "../shared/store_time.ts";
export * from "./types.ts";

/** Fraud scoring, review, lists, rules and models. */
export const fraudDomain = defineDomain({
  folder: "fraud",
  routers: { fraud: fraudRouter },
  jobs: [fraudModelTrainingJob],
  events: ["fraud.rules_changed", "fraud.lists_changed", "fraud.settings_changed"],
  pages: [{ path: "/fraud", route: "fraud" }],
});
