import assert from "node:assert/strict";
import { dailyDemandSeries, dayNumber, dayString } from "./demand_series.ts";

Deno.test("dailyDemandSeries() fills days without sales with zero, oldest first", () => {
  const series = dailyDemandSeries([{ day: "2024-01-03", units: 1 }, { day: "2024-01-01", units: 2 }]);
  assert.deepEqual(series, {
    start: "2024-01-01",
    days: ["2024-01-01", "2024-01-02", "2024-01-03"],
    units: [2, 0, 1],
  });
});

Deno.test("dailyDemandSeries() sums rows of one day and nets refunds against that day's sales", () => {
  const series = dailyDemandSeries([
    { day: "2024-03-05", units: 4 },
    { day: "2024-03-05", units: 3 },
    { day: "2024-03-05", units: -2 },
    { day: "2024-03-06", units: 1 },
    { day: "2024-03-06", units: -5 },
  ]);
  // A day whose refunds exceed its sales counts as 0: demand is never negative.
  assert.deepEqual(series.units, [5, 0]);
});

Deno.test("dailyDemandSeries() pads to the requested range and ignores rows outside it", () => {
  const series = dailyDemandSeries(
    [{ day: "2024-02-27", units: 9 }, { day: "2024-02-29", units: 2 }, { day: "2024-03-03", units: 7 }],
    { from: "2024-02-28", to: "2024-03-02" },
  );
  assert.deepEqual(series.days, ["2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]);
  assert.deepEqual(series.units, [0, 2, 0, 0]);
});

Deno.test("dailyDemandSeries() of no rows is empty, or all zeros over a given range", () => {
  assert.deepEqual(dailyDemandSeries([]), { start: null, days: [], units: [] });
  assert.deepEqual(dailyDemandSeries([], { from: "2024-01-01", to: "2024-01-02" }).units, [0, 0]);
});

Deno.test("dailyDemandSeries() counts days across a daylight-saving change once each", () => {
  const series = dailyDemandSeries([], { from: "2024-03-30", to: "2024-04-01" });
  assert.deepEqual(series.days, ["2024-03-30", "2024-03-31", "2024-04-01"]);
});

Deno.test("dailyDemandSeries() rejects malformed days, impossible dates, bad units and reversed ranges", () => {
  assert.throws(() => dailyDemandSeries([{ day: "2024-1-5", units: 1 }]), /Invalid day "2024-1-5"/);
  assert.throws(() => dailyDemandSeries([{ day: "2023-02-29", units: 1 }]), /Invalid day "2023-02-29"/);
  assert.throws(() => dailyDemandSeries([{ day: "2024-01-01", units: Number.NaN }]), /Invalid units/);
  assert.throws(() => dailyDemandSeries([], { from: "2024-01-02", to: "2024-01-01" }), /is after/);
});

Deno.test("dayNumber() and dayString() round-trip calendar days", () => {
  assert.equal(dayNumber("1970-01-02"), 1);
  assert.equal(dayString(dayNumber("2024-02-29")), "2024-02-29");
});
