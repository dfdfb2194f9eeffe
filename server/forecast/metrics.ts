/**
 * Mean absolute error of a naive forecast on the history, the scale MASE divides by.
 * Uses the seasonal naive (lag `seasonLength`); when that is zero (a perfectly periodic or constant
 * history) falls back to lag 1, then to the mean absolute level, then to 1, so the scale is never 0.
 * @param history daily values, oldest first
 * @param seasonLength seasonal lag
 */
export function naiveScale(history: readonly number[], seasonLength: number): number {
  for (const lag of [seasonLength, 1]) {
    if (history.length <= lag) continue;
    let sum = 0;
    for (let t = lag; t < history.length; t++) sum += Math.abs(history[t] - history[t - lag]);
    const mae = sum / (history.length - lag);
    if (mae > 0) return mae;
  }
  let level = 0;
  for (const value of history) level += Math.abs(value);
  level = history.length > 0 ? level / history.length : 0;
  return level > 0 ? level : 1;
}

/** Mean absolute error of `forecast` against `actual` (over the shorter of the two). */
export function mae(actual: readonly number[], forecast: readonly number[]): number {
  const n = Math.min(actual.length, forecast.length);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(actual[i] - forecast[i]);
  return sum / n;
}

/**
 * Mean absolute scaled error: the forecast's MAE divided by the in-sample seasonal naive MAE of `history`.
 * Below 1 means better than the seasonal naive was in sample.
 * @example mase([3, 3], [2, 4], [1, 2, 3, 4], 1) // 1
 */
export function mase(
  actual: readonly number[],
  forecast: readonly number[],
  history: readonly number[],
  seasonLength = 7,
): number {
  return mae(actual, forecast) / naiveScale(history, seasonLength);
}

/**
 * Symmetric mean absolute percentage error in percent (0-200). A day where both the actual and the
 * forecast are 0 counts as a perfect 0, so intermittent series do not divide by zero.
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  const n = Math.min(actual.length, forecast.length);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const denominator = Math.abs(actual[i]) + Math.abs(forecast[i]);
    if (denominator > 0) sum += (2 * Math.abs(actual[i] - forecast[i])) / denominator;
  }
  return (100 * sum) / n;
}
