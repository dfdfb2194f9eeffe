import type { RecentAdjusted } from "./_seasonal.ts";

/** What every forecasting model returns: point forecasts and the parameters it settled on. */
export interface ModelFit {
  /** Point forecasts, one per day ahead, never negative. */
  point: number[];
  /** Fitted parameters (smoothing constants, window lengths, ...) recorded with the forecast. */
  params: Record<string, number>;
}

/** Options shared by every model. */
export interface ModelOptions {
  /** Days to forecast. */
  horizon: number;
  /** Length of the seasonal cycle in days (7 for a weekly pattern). */
  seasonLength: number;
  /**
   * `recentAdjusted(history, seasonLength)` of this very history, when the caller runs several
   * models on it and computes it once; models compute it themselves when it is absent.
   */
  prepared?: RecentAdjusted;
}

/** A forecasting model: daily history (oldest first) in, point forecasts out. Pure. */
export type Model = (history: readonly number[], options: ModelOptions) => ModelFit;
