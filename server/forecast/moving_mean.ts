import { mean } from "./_seasonal.ts";
import type { ModelFit, ModelOptions } from "./types.ts";

/** Days averaged: four weeks, so every weekday counts equally. */
const WINDOW = 28;

/**
 * Baseline: the mean of the last four weeks, flat. The other baseline beside seasonal naive; it
 * wins on noisy slow sellers where last week's exact days are mostly luck.
 */
export function movingMean(history: readonly number[], options: ModelOptions): ModelFit {
  const n = history.length;
  const window = Math.min(WINDOW, n);
  const level = Math.max(0, mean(history, n - window, n));
  return { point: new Array<number>(options.horizon).fill(level), params: { window, level } };
}
