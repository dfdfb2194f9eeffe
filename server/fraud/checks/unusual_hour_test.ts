import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkUnusualHour, isHourInRange } from "./unusual_hour.ts";
import { history, input, order, past } from "./_fixtures.ts";

Deno.test("isHourInRange() handles ranges that wrap past midnight", () => {
  assert.equal(isHourInRange(1, 1, 5), true);
  assert.equal(isHourInRange(5, 1, 5), false);
  assert.equal(isHourInRange(23, 22, 4), true);
  assert.equal(isHourInRange(3, 22, 4), true);
  assert.equal(isHourInRange(12, 22, 4), false);
});

Deno.test("checkUnusualHour() uses the store's clock: 01:00-04:59 in New York fires", () => {
  // June: New York is UTC-4.
  const cases: [string, boolean][] = [
    ["2025-06-10T04:59:59Z", false], // 00:59
    ["2025-06-10T05:00:00Z", true], // 01:00
    ["2025-06-10T08:59:59Z", true], // 04:59
    ["2025-06-10T09:00:00Z", false], // 05:00
  ];
  for (const [instant, fires] of cases) {
    const createdAt = new Date(instant);
    const finding = checkUnusualHour({ ...input(order({ createdAt })), now: createdAt }, RULES);
    assert.equal(finding !== null, fires, instant);
  }
});

Deno.test("checkUnusualHour() stays quiet for a night owl with two completed night orders", () => {
  const createdAt = new Date("2025-06-10T07:00:00Z");
  const night = (days: number) => past(days * 24 * 60 + 11 * 60, { status: "completed" }); // 03:00 local
  const once = checkUnusualHour(
    { ...input(order({ createdAt }), history([night(1)])), now: createdAt },
    RULES,
  );
  assert.ok(once);
  const twice = checkUnusualHour({
    ...input(order({ createdAt }), history([night(1), night(2)])),
    now: createdAt,
  }, RULES);
  assert.equal(twice, null);
});
