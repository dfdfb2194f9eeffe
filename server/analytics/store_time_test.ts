import assert from "node:assert/strict";
import { addStoreDays, isWholeHourZone, startOfStoreDay, utcOffsetMinutes } from "./store_time.ts";

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
