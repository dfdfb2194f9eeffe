import assert from "node:assert/strict";
import {
  addDays,
  addStoreDays,
  isWholeHourZone,
  localHour,
  startOfStoreDay,
  storeDay,
  utcOffsetMinutes,
  zonedTimeToUtc,
} from "./store_time.ts";

Deno.test("utcOffsetMinutes() reads whole, half-hour and negative offsets", () => {
  const winter = new Date("2026-01-15T12:00:00Z");
  assert.equal(utcOffsetMinutes(winter, "UTC"), 0);
  assert.equal(utcOffsetMinutes(winter, "Asia/Kolkata"), 330);
  assert.equal(utcOffsetMinutes(winter, "America/New_York"), -300);
  assert.equal(utcOffsetMinutes(new Date("2026-07-15T12:00:00Z"), "America/New_York"), -240);
  assert.equal(utcOffsetMinutes(winter, "America/St_Johns"), -210);
});

Deno.test("isWholeHourZone() is false only for zones off the hour", () => {
  const instants = [new Date("2026-01-15T12:00:00Z")];
  assert.equal(isWholeHourZone("Europe/Berlin", instants), true);
  assert.equal(isWholeHourZone("Asia/Kolkata", instants), false);
});

Deno.test("startOfStoreDay() finds local midnight, across DST changes too", () => {
  const cases: [string, string, string][] = [
    ["2026-01-15T03:00:00Z", "America/New_York", "2026-01-14T05:00:00.000Z"],
    ["2026-01-15T06:00:00Z", "America/New_York", "2026-01-15T05:00:00.000Z"],
    ["2026-03-08T20:00:00Z", "America/New_York", "2026-03-08T05:00:00.000Z"],
    ["2026-01-15T20:00:00Z", "Asia/Kolkata", "2026-01-15T18:30:00.000Z"],
    ["2026-01-15T20:00:00Z", "UTC", "2026-01-15T00:00:00.000Z"],
  ];
  for (const [instant, zone, expected] of cases) {
    assert.equal(startOfStoreDay(new Date(instant), zone).toISOString(), expected, `${instant} ${zone}`);
  }
});

Deno.test("addStoreDays() steps whole local days, 23 or 25 hours long at DST changes", () => {
  const start = addStoreDays(new Date("2026-03-08T20:00:00Z"), 1, "America/New_York");
  assert.equal(start.toISOString(), "2026-03-09T04:00:00.000Z");
  assert.equal(
    addStoreDays(new Date("2026-03-09T20:00:00Z"), -1, "America/New_York").toISOString(),
    "2026-03-08T05:00:00.000Z",
  );
});

Deno.test("storeDay() names the day on the store's clocks, not in UTC", () => {
  const instant = new Date("2024-03-01T23:30:00Z");
  assert.equal(storeDay(instant, "UTC"), "2024-03-01");
  assert.equal(storeDay(instant, "Europe/Berlin"), "2024-03-02");
  assert.equal(storeDay(new Date("2024-03-02T03:00:00Z"), "America/New_York"), "2024-03-01");
});

Deno.test("addDays() crosses month and leap-year ends", () => {
  assert.equal(addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(addDays("2024-03-01", -1), "2024-02-29");
  assert.equal(addDays("2023-12-31", 1), "2024-01-01");
});

Deno.test("localHour() reads the hour on the store's clocks, across daylight saving time", () => {
  const cases: [string, string, number][] = [
    ["2025-07-01T06:30:00Z", "America/New_York", 2],
    ["2025-12-01T06:30:00Z", "America/New_York", 1],
    ["2025-12-01T23:59:59Z", "UTC", 23],
    ["2025-12-01T00:00:00Z", "Asia/Tokyo", 9],
  ];
  for (const [instant, zone, hour] of cases) assert.equal(localHour(new Date(instant), zone), hour, instant);
});

Deno.test("zonedTimeToUtc() inverts localHour() in summer and winter", () => {
  assert.equal(
    zonedTimeToUtc({ year: 2025, month: 7, day: 1, hour: 2, minute: 30 }, "America/New_York").toISOString(),
    "2025-07-01T06:30:00.000Z",
  );
  assert.equal(
    zonedTimeToUtc({ year: 2025, month: 12, day: 1, hour: 1, minute: 30 }, "America/New_York").toISOString(),
    "2025-12-01T06:30:00.000Z",
  );
});
