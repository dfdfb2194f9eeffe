import assert from "node:assert/strict";
import { fraudAlert, fraudSeverity } from "./sale_alerts.ts";

Deno.test("fraudSeverity() rises from medium at review to critical at block", () => {
  const thresholds = { review: 50, block: 85 };
  assert.equal(fraudSeverity(50, thresholds), "medium");
  assert.equal(fraudSeverity(67, thresholds), "medium");
  assert.equal(fraudSeverity(67.5, thresholds), "high");
  assert.equal(fraudSeverity(85, thresholds), "critical");
});

Deno.test("fraudAlert() shares one dedupe key per customer within a 24-hour window", () => {
  const verdict = { score: 60, decision: "review" as const, reasons: [{ code: "x", message: "why" }] };
  const tx = { id: 1, customerId: 9, customerName: "Bo", totalCents: 100 };
  const options = (at: string) => ({ thresholds: { review: 50, block: 85 }, now: new Date(at) });
  const morning = fraudAlert(tx, verdict, options("2025-03-01T01:00:00Z")).dedupeKey;
  const evening = fraudAlert(tx, verdict, options("2025-03-01T23:00:00Z")).dedupeKey;
  const nextDay = fraudAlert(tx, verdict, options("2025-03-02T01:00:00Z")).dedupeKey;
  assert.equal(morning, evening);
  assert.notEqual(morning, nextDay);
  assert.equal(morning, "fraud-review:9:2025-03-01T00:00:00.000Z");
});
