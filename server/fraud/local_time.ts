const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Building a formatter costs far more than using one, and scoring asks for the same zone every time.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock parts of an instant in a time zone. */
function localParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts;
}

/** Hour of the day (0-23) of an instant on the clocks of a time zone. */
export function localHour(instant: Date, timeZone: string): number {
  return localParts(instant, timeZone).hour;
}

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
