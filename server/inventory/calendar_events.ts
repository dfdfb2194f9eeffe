import Holidays from "date-holidays";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { ForecastEvent } from "../forecast/mod.ts";
import { dayNumber } from "./demand_series.ts";

/** A calendar event as stored. */
export interface CalendarEvent {
  day: string;
  kind: "promotion" | "closure" | "holiday";
  name: string;
  source: "store" | "holidays";
}

/** The public holidays of `country` (ISO 3166 code, e.g. "GB") in the given years, from date-holidays. */
export function publicHolidays(country: string, years: readonly number[]): CalendarEvent[] {
  const calendar = new Holidays(country);
  const events: CalendarEvent[] = [];
  for (const year of years) {
    for (const holiday of calendar.getHolidays(year) || []) {
      if (holiday.type !== "public") continue;
      events.push({
        day: holiday.date.slice(0, 10),
        kind: "holiday",
        name: holiday.name,
        source: "holidays",
      });
    }
  }
  return events;
}

/** Stores the public holidays of `country` for the given years (existing ones are kept). */
export async function syncPublicHolidays(
  sql: Sql,
  country: string,
  years: readonly number[],
): Promise<number> {
  const events = publicHolidays(country, years);
  if (events.length === 0) return 0;
  const result = await sql`
    insert into calendar_events (day, kind, name, source)
    select r.day::date, r.kind, r.name, r.source
    from jsonb_to_recordset(${
    sql.json(events as never)
  }::jsonb) as r(day text, kind text, name text, source text)
    on conflict (day, kind, name) do nothing`;
  return result.count;
}

/** Events between two days, inclusive. */
export async function loadCalendarEvents(sql: Sql, from: string, to: string): Promise<CalendarEvent[]> {
  return await sql<CalendarEvent[]>`
    select day::text as day, kind, name, source from calendar_events
    where day between ${from}::date and ${to}::date order by day, kind, name`;
}

/**
 * Calendar events as forecast events by day index from `start` (the history's first day). All
 * public holidays share one effect ("holiday"); each promotion has its own name's effect; closures
 * close the shop.
 */
export function toForecastEvents(events: readonly CalendarEvent[], start: string): ForecastEvent[] {
  const first = dayNumber(start);
  return events.map((event) => ({
    day: dayNumber(event.day) - first,
    key: event.kind === "promotion" ? `promotion:${event.name}` : event.kind,
    ...(event.kind === "closure" ? { closed: true } : {}),
  }));
}

/** A calendar event over its days, as staff see it: a store promotion or closure, or a public holiday. */
export interface CalendarEventSpan {
  /** the id of its first day's row; delete by it */
  id: number;
  kind: "promotion" | "closure" | "holiday";
  name: string;
  note: string;
  source: "store" | "holidays";
  startsOn: string;
  endsOn: string;
}

/** Events with a day between `from` and `to` (inclusive), each with all its days, by first day. */
export async function listCalendarEventSpans(
  sql: Sql,
  from: string,
  to: string,
): Promise<CalendarEventSpan[]> {
  return await selectSpans(
    sql,
    sql`select coalesce(event_id, id) from calendar_events where day between ${from}::date and ${to}::date`,
  );
}

/** The event `id` (its first day's row id), or null. */
export async function findCalendarEventSpan(
  sql: Sql | TransactionSql,
  id: number,
): Promise<CalendarEventSpan | null> {
  const [span] = await selectSpans(sql, sql`select ${id}::bigint`);
  return span ?? null;
}

/** The events whose ids `ids` (a subquery) selects, each over all its days. */
async function selectSpans(
  sql: Sql | TransactionSql,
  ids: ReturnType<Sql>,
): Promise<CalendarEventSpan[]> {
  return await sql<CalendarEventSpan[]>`
    select coalesce(event_id, id)::int as id, min(kind) as kind, min(name) as name, min(note) as note,
      min(source) as source, min(day)::text as "startsOn", max(day)::text as "endsOn"
    from calendar_events
    where coalesce(event_id, id) in (${ids})
    group by coalesce(event_id, id)
    order by "startsOn", kind, name`;
}

/** What a store event needs: its days run from `startsOn` to `endsOn`, inclusive. */
export interface NewStoreEvent {
  kind: "promotion" | "closure";
  name: string;
  note: string;
  startsOn: string;
  endsOn: string;
}

/** The days of an event with the same kind and name already stored on one of `event`'s days. */
export async function clashingDays(sql: Sql | TransactionSql, event: NewStoreEvent): Promise<string[]> {
  const rows = await sql<{ day: string }[]>`
    select day::text as day from calendar_events
    where kind = ${event.kind} and name = ${event.name}
      and day between ${event.startsOn}::date and ${event.endsOn}::date
    order by day`;
  return rows.map((row) => row.day);
}

/** Stores a store event, one row a day sharing the first row's id as event_id; returns that id. */
export async function insertStoreEvent(sql: Sql | TransactionSql, event: NewStoreEvent): Promise<number> {
  const [first] = await sql<[{ id: number }]>`
    insert into calendar_events (day, kind, name, note, source)
    values (${event.startsOn}::date, ${event.kind}, ${event.name}, ${event.note}, 'store')
    returning id::int as id`;
  await sql`update calendar_events set event_id = id where id = ${first.id}`;
  await sql`
    insert into calendar_events (day, kind, name, note, source, event_id)
    select d::date, ${event.kind}, ${event.name}, ${event.note}, 'store', ${first.id}
    from generate_series(${event.startsOn}::date + 1, ${event.endsOn}::date, interval '1 day') as d`;
  return first.id;
}

/** Removes every day of the store event `id`; public holidays are never removed. Returns days removed. */
export async function deleteStoreEvent(sql: Sql | TransactionSql, id: number): Promise<number> {
  const result = await sql`
    delete from calendar_events where coalesce(event_id, id) = ${id} and source = 'store'`;
  return result.count;
}
