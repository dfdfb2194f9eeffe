import assert from "node:assert/strict";
import { localHour, zonedTimeToUtc } from "./local_time.ts";

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
