/** Units sold on one day in the store's time zone; negative units are refunds. */
export interface DemandRow {
  /** Calendar day, "YYYY-MM-DD". */
  day: string;
  units: number;
}

/** A zero-filled daily demand series. */
export interface DemandSeries {
  /** First day of the series ("YYYY-MM-DD"), null when there is no data and no `from`. */
  start: string | null;
  /** Every day from start to end, oldest first. */
  days: string[];
  /** Net units per day, aligned with `days`, never negative. */
  units: number[];
}

/** Options of `dailyDemandSeries`. */
export interface DemandSeriesOptions {
  /** First day to include (default: the earliest row). */
  from?: string;
  /** Last day to include (default: the latest row); pass today so trailing days without sales count as 0. */
  to?: string;
}

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a "YYYY-MM-DD" string; throws on anything that is not a real calendar day. */
export function dayNumber(day: string): number {
  const match = DAY_PATTERN.exec(day);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(time).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`Invalid day "${day}": expected a calendar date as YYYY-MM-DD`);
  }
  return time / DAY_MS;
}

/** The "YYYY-MM-DD" string of a day number from `dayNumber`. */
export function dayString(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Turns rows of daily units (any order, several rows per day allowed) into a daily series with the
 * days without sales filled with 0. Rows of one day are summed, so refunds net against that day's
 * sales; a day whose refunds exceed its sales counts as 0 because demand cannot be negative.
 * Rows outside `from`..`to` are ignored.
 * @example dailyDemandSeries([{ day: "2024-01-01", units: 2 }, { day: "2024-01-03", units: 1 }]).units // [2, 0, 1]
 */
export function dailyDemandSeries(
  rows: readonly DemandRow[],
  options: DemandSeriesOptions = {},
): DemandSeries {
  const from = options.from === undefined ? undefined : dayNumber(options.from);
  const to = options.to === undefined ? undefined : dayNumber(options.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new RangeError(`Invalid range: "from" ${options.from} is after "to" ${options.to}`);
  }
  const totals = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const row of rows) {
    if (!Number.isFinite(row.units)) throw new RangeError(`Invalid units ${row.units} on day "${row.day}"`);
    const dayNo = dayNumber(row.day);
    if ((from !== undefined && dayNo < from) || (to !== undefined && dayNo > to)) continue;
    totals.set(dayNo, (totals.get(dayNo) ?? 0) + row.units);
    first = Math.min(first, dayNo);
    last = Math.max(last, dayNo);
  }
  const start = from ?? (Number.isFinite(first) ? first : undefined);
  const end = to ?? (Number.isFinite(last) ? last : undefined);
  if (start === undefined || end === undefined) {
    return { start: start === undefined ? null : dayString(start), days: [], units: [] };
  }
  const days: string[] = [];
  const units: number[] = [];
  for (let dayNo = start; dayNo <= end; dayNo++) {
    days.push(dayString(dayNo));
    units.push(Math.max(0, totals.get(dayNo) ?? 0));
  }
  return { start: dayString(start), days, units };
}
