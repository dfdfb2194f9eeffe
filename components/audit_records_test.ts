import assert from "node:assert/strict";
import { auditRecordKind, auditRecordLabel } from "./audit_records.ts";

Deno.test("an audit record reads by kind and name, falling back to its id", () => {
  assert.equal(auditRecordKind("alert_rule"), "Alert rule");
  assert.equal(auditRecordKind("transaction"), "Sale");
  assert.equal(auditRecordKind("api_token"), "API token");
  assert.equal(
    auditRecordLabel({ entityType: "customer", entityId: "867", entityName: "CUS-00867 · Henry Baker" }),
    "Customer CUS-00867 · Henry Baker",
  );
  assert.equal(
    auditRecordLabel({ entityType: "purchase_order", entityId: "12", entityName: null }),
    "Purchase order 12",
  );
  assert.equal(
    auditRecordLabel({ entityType: "fraud_settings", entityId: null, entityName: null }),
    "Fraud settings",
  );
});
