import assert from "node:assert/strict";
import { describeAuditDetails } from "./audit_details.ts";
import { formatCents, formatDateTime } from "../server/shared/format.ts";

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

Deno.test("describeAuditDetails() writes stored cents as money, instants as dates and flags as yes/no", () => {
  const described = describeAuditDetails({
    totalCents: 33899,
    to: { unit_cost_cents: 1250, isActive: false },
    at: "2026-12-05T09:30:00.000Z",
    orderRef: "TM-104951",
  });
  assert.equal(
    described,
    `total: ${formatCents(33899)} · to: unit cost ${formatCents(1250)}, is active no · at: ${
      formatDateTime("2026-12-05T09:30:00.000Z")
    } · order ref: TM-104951`,
  );
  assert.doesNotMatch(described, /cents|33899|T09:30/);
});
