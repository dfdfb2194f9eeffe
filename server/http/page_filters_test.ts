import assert from "node:assert/strict";
import { alertFilters, analyticsRange, suggestionFilters } from "./page_filters.ts";
import { storeDayStart } from "../shared/store_time.ts";

const now = new Date("2026-05-10T12:00:00Z");
const params = (query: string) => new URLSearchParams(query);

Deno.test("analyticsRange() defaults to the last 7 days in hourly buckets", () => {
  const range = analyticsRange(params(""), "Europe/London", now);
  assert.deepEqual(range, { input: { days: 7 }, days: 7, fromDay: null, toDay: null, granularity: "hour" });
  assert.equal(analyticsRange(params("days=30"), "Europe/London", now).granularity, "day");
  assert.equal(analyticsRange(params("days=30&granularity=hour"), "Europe/London", now).granularity, "hour");
  assert.equal(
    analyticsRange(params("days=abc"), "Europe/London", now).days,
    7,
    "a bad preset is the default",
  );
});

Deno.test("analyticsRange() turns inclusive store days into a half-open range, ending now at the latest", () => {
  const past = analyticsRange(params("from=2026-03-01&to=2026-03-31"), "Europe/London", now);
  assert.deepEqual(past.input, { from: "2026-03-01T00:00:00.000Z", to: "2026-03-31T23:00:00.000Z", days: 1 });
  assert.equal(past.granularity, "day");
  const current = analyticsRange(params("from=2026-05-09&to=2026-05-10"), "America/New_York", now);
  assert.deepEqual(current.input, { from: "2026-05-09T04:00:00.000Z", to: now.toISOString(), days: 1 });
  assert.equal(current.granularity, "hour");
});

Deno.test("storeDayStart() is local midnight, east and west of Greenwich", () => {
  assert.equal(storeDayStart("2026-01-15", "Pacific/Kiritimati").toISOString(), "2026-01-14T10:00:00.000Z");
  assert.equal(storeDayStart("2026-01-15", "Pacific/Pago_Pago").toISOString(), "2026-01-15T11:00:00.000Z");
});

Deno.test("filters keep only the named, non-empty parameters and convert ids to numbers", () => {
  assert.deepEqual(alertFilters(params("severity=high&status=&cursor=x&evil=1")), { severity: "high" });
  assert.deepEqual(suggestionFilters(params("status=approved&supplierId=12")), {
    status: "approved",
    supplierId: 12,
  });
  assert.deepEqual(suggestionFilters(params("supplierId=abc")), { supplierId: "abc" }, "zod names it later");
});
