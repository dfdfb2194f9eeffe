import { storeDay } from "../inventory/store_day.ts";

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Minutes the clocks of `timeZone` are ahead of UTC at `instant` (negative west of Greenwich).
 * @example utcOffsetMinutes(new Date("2026-01-15T12:00:00Z"), "Asia/Kolkata") // 330
 */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
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
