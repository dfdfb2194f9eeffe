/**
 * Store time, in one place: the store's calendar days, hours and midnights in `STORE_TZ`, for
 * buckets, filters, reports, fraud's unusual hours and the data generators. Pure, no I/O.
 */

// The three ways store time is read off the clocks: the day (en-CA writes YYYY-MM-DD), the UTC
// offset, and every wall-clock part
const formats = {
  day: ["en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }],
  offset: ["en-US", { timeZoneName: "longOffset" }],
  parts: ["en-US", {
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }],
} satisfies Record<string, [string, Intl.DateTimeFormatOptions]>;

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a formatter costs far more than using one, and every caller asks for the same zone
function formatterFor(format: keyof typeof formats, timeZone: string): Intl.DateTimeFormat {
  const key = `${format} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const [locale, options] = formats[format];
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone } as Intl.DateTimeFormatOptions);
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The calendar day ("YYYY-MM-DD") an instant falls on in the store's time zone.
 * @example storeDay(new Date("2024-03-01T23:30:00Z"), "Europe/Berlin") // "2024-03-02"
 */
export function storeDay(instant: Date, timeZone: string): string {
  return formatterFor("day", timeZone).format(instant);
}

/** The day `days` after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/**
 * Minutes the clocks of `timeZone` are ahead of UTC at `instant` (negative west of Greenwich).
 * @example utcOffsetMinutes(new Date("2026-01-15T12:00:00Z"), "Asia/Kolkata") // 330
 */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  const name =
    formatterFor("offset", timeZone).formatToParts(instant).find((part) => part.type === "timeZoneName")
      ?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

/** True when the zone's offset is a whole number of hours at every given instant. */
export function isWholeHourZone(timeZone: string, instants: Date[]): boolean {
  return instants.every((instant) => utcOffsetMinutes(instant, timeZone) % 60 === 0);
}

/**
 * The instant the store's day containing `instant` began (local midnight).
 * @example startOfStoreDay(new Date("2026-01-15T03:00:00Z"), "America/New_York") // 2026-01-14T05:00:00Z
 */
export function startOfStoreDay(instant: Date, timeZone: string): Date {
  const [year, month, day] = storeDay(instant, timeZone).split("-").map(Number);
  const midnightUtc = Date.UTC(year, month - 1, day);
  // The offset at midnight may differ from the offset now (a DST change during the day): settle it
  let guess = midnightUtc - utcOffsetMinutes(instant, timeZone) * 60_000;
  guess = midnightUtc - utcOffsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The store-day start `days` days after the one containing `instant` (before it when negative). */
export function addStoreDays(instant: Date, days: number, timeZone: string): Date {
  const start = startOfStoreDay(instant, timeZone);
  // Noon of the target day is safely inside it whatever DST does
  return startOfStoreDay(new Date(start.getTime() + days * 86_400_000 + 12 * 3_600_000), timeZone);
}

/** Local midnight starting `day` (YYYY-MM-DD) in `timeZone`. */
export function storeDayStart(day: string, timeZone: string): Date {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  // local noon of that day is inside it in every zone (offsets run from -12 to +14 hours)
  const localNoon = new Date(noonUtc.getTime() - utcOffsetMinutes(noonUtc, timeZone) * 60_000);
  return startOfStoreDay(localNoon, timeZone);
}

/** Wall-clock parts of an instant in a time zone. */
function localParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor("parts", timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

/** Hour of the day (0-23) of an instant on the clocks of a time zone. */
export function localHour(instant: Date, timeZone: string): number {
  // Every zone's offset is a whole number of quarter hours and changes only on a quarter hour, so the
  // local hour is the same for a whole UTC quarter hour: formatted once per quarter and zone (formatting
  // costs about 20 µs, and a fraud replay scores hundreds of thousands of sales)
  const key = `${timeZone}|${Math.floor(instant.getTime() / (HOUR_MS / 4))}`;
  let hour = hourCache.get(key);
  if (hour === undefined) {
    if (hourCache.size >= 50_000) hourCache.clear();
    hour = localParts(instant, timeZone).hour;
    hourCache.set(key, hour);
  }
  return hour;
}

const HOUR_MS = 3_600_000;
const hourCache = new Map<string, number>();

/**
 * The instant at which the clocks of `timeZone` show the given wall-clock time (month 1-12).
 * In a DST gap or overlap it picks one of the candidate instants, which is all a data generator needs.
 */
export function zonedTimeToUtc(
  wallClock: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): Date {
  const asIfUtc = Date.UTC(
    wallClock.year,
    wallClock.month - 1,
    wallClock.day,
    wallClock.hour,
    wallClock.minute,
    wallClock.second ?? 0,
  );
  let guess = asIfUtc;
  for (let i = 0; i < 2; i++) {
    const parts = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    guess += asIfUtc - shown;
  }
  return new Date(guess);
}
