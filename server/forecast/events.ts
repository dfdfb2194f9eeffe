/**
 * Calendar events (promotions, public holidays, closures) as multiplicative adjustments whose
 * effects are estimated from the series' own history. Pure.
 * @module
 */

/** One event day, by index into the history (indices >= history.length are forecast days). */
export interface ForecastEvent {
  /** Day index: 0 is the first history day, history.length the first forecast day. */
  day: number;
  /** Events with the same key share one effect (e.g. "holiday", "promotion:summer-sale"). */
  key: string;
  /** The shop is closed: nothing sells, and the day is not evidence about demand. */
  closed?: boolean;
}

/** Pseudo-days at effect 1 an effect is shrunk with, so one lucky event day does not set it. */
const SHRINK_DAYS = 2;
/** Weeks either side whose same weekday forms an event day's baseline. */
const BASELINE_CYCLES = 3;
/** Effects are kept inside these bounds: beyond them one odd day would swing every forecast. */
const MIN_EFFECT = 0.1;
const MAX_EFFECT = 5;

/**
 * Effect of each event key: observed units on its past event days over the baseline of those days
 * (the same weekday in the weeks around, skipping other event and missing days), shrunk towards 1.
 * Closures have effect 0. Keys with no usable past day get 1 (no adjustment).
 * @param observed daily units with NaN for missing days
 */
export function estimateEventEffects(
  observed: readonly number[],
  events: readonly ForecastEvent[],
  seasonLength: number,
): Map<string, number> {
  const eventDays = new Set(events.map((event) => event.day));
  const sums = new Map<string, { actual: number; baseline: number; days: number }>();
  const effects = new Map<string, number>();
  for (const event of events) {
    if (event.closed) {
      effects.set(event.key, 0);
      continue;
    }
    if (!sums.has(event.key)) sums.set(event.key, { actual: 0, baseline: 0, days: 0 });
    const t = event.day;
    if (t < 0 || t >= observed.length || Number.isNaN(observed[t])) continue;
    let sum = 0;
    let count = 0;
    for (let k = -BASELINE_CYCLES; k <= BASELINE_CYCLES; k++) {
      const s = t + k * seasonLength;
      if (k === 0 || s < 0 || s >= observed.length || eventDays.has(s) || Number.isNaN(observed[s])) continue;
      sum += observed[s];
      count++;
    }
    if (count === 0) continue;
    const entry = sums.get(event.key)!;
    entry.actual += observed[t];
    entry.baseline += sum / count;
    entry.days++;
  }
  for (const [key, { actual, baseline, days }] of sums) {
    if (effects.has(key)) continue;
    if (days === 0 || baseline <= 0) {
      effects.set(key, 1);
      continue;
    }
    const pseudo = SHRINK_DAYS * (baseline / days);
    const effect = (actual + pseudo) / (baseline + pseudo);
    effects.set(key, Math.min(MAX_EFFECT, Math.max(MIN_EFFECT, effect)));
  }
  return effects;
}

/** Multiplier per day index from `from` for `length` days (1 where no event; effects multiply). */
export function eventMultipliers(
  events: readonly ForecastEvent[],
  effects: ReadonlyMap<string, number>,
  from: number,
  length: number,
): number[] {
  const multipliers = new Array<number>(length).fill(1);
  for (const event of events) {
    const i = event.day - from;
    if (i >= 0 && i < length) multipliers[i] *= effects.get(event.key) ?? 1;
  }
  return multipliers;
}
