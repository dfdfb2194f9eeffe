import assert from "node:assert/strict";
import { addDays, storeDay } from "./store_day.ts";

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
