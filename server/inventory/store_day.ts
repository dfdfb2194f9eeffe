import { dayNumber, dayString } from "./demand_series.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day ("YYYY-MM-DD") an instant falls on in the store's time zone.
 * @example storeDay(new Date("2024-03-01T23:30:00Z"), "Europe/Berlin") // "2024-03-02"
 */
export function storeDay(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

/** The day `days` after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  return dayString(dayNumber(day) + days);
}
