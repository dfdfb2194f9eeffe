import assert from "node:assert/strict";
import { alertTypeLabel } from "./alert_types.ts";

Deno.test("alertTypeLabel() names each alert type in words, and keeps an unknown one as stored", () => {
  const cases: [string, string][] = [
    ["low_stock", "Low stock"],
    ["fraud_review", "Fraud review"],
    ["rule", "Alert rule"],
    ["job_failed", "Job failed"],
    ["new_kind", "new_kind"],
  ];
  for (const [type, label] of cases) assert.equal(alertTypeLabel(type), label, type);
});
