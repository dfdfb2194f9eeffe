/**
 * Fraud scoring: pure functions over plain data. Callers fetch the customer's history, score with
 * `scoreTransaction`, and measure rules with `evaluate`/`replayStream`.
 */
export { decide, scoreTransaction } from "./score.ts";
export { DEFAULT_FRAUD_RULES, type FraudRules, fraudRulesSchema } from "./rules.ts";
export { highResaleUnits } from "./checks/high_resale.ts";
export { medianAndMad, quantityStatsFromHistogram } from "./robust_stats.ts";
export { localHour } from "./local_time.ts";
export * from "./types.ts";
