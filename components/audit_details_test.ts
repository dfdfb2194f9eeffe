import assert from "node:assert/strict";
import { describeAuditDetails } from "./audit_details.ts";

Deno.test("describeAuditDetails() writes details as words, never as JSON", () => {
  assert.equal(
    describeAuditDetails({ supplierId: 3, to: { orderMultiple: 100, priceBreaks: [{ minQty: 2 }] } }),
    "supplier id: 3 · to: order multiple 100, price breaks 1 entry",
  );
  assert.equal(
    describeAuditDetails({ roles: ["viewer", "admin"], note: null }),
    "roles: viewer, admin · note: none",
  );
  assert.equal(describeAuditDetails({}), "");
  const long = describeAuditDetails({ text: "x".repeat(1_000) });
  assert.equal(long.length, 300);
  assert.doesNotMatch(long + describeAuditDetails({ a: { b: { c: 1 } } }), /[{}"]/);
});
