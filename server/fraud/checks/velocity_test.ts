import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkVelocityAmount, checkVelocityCount } from "./velocity.ts";
import { history, input, order, series } from "./_fixtures.ts";

Deno.test("checkVelocityCount() fires at each window's minimum count and not one below", () => {
  // [earlier attempts, minutes ago of the newest, spacing minutes, expected strength]
  const cases: [number, number, number, number][] = [
    [1, 0.5, 0.5, 0], // 2 attempts in 2 minutes: a person retrying
    [2, 0.5, 0.5, 0.5], // 3 attempts in 2 minutes: fires at its edge
    [4, 0.1, 0.3, 1], // 5 attempts in 2 minutes: saturated
    [2, 3, 2, 0], // 3 attempts in 10 minutes, none in 2
    [3, 3, 2, 0.5], // 4 attempts in 10 minutes
    [4, 15, 10, 0.5], // 5 attempts in 1 hour
    [3, 15, 10, 0], // 4 attempts in 1 hour
    [7, 90, 120, 0.5], // 8 in 24 hours
    [6, 90, 120, 0], // 7 in 24 hours
    [8, 1441, 10, 0], // all outside every window
  ];
  for (const [n, newest, spacing, strength] of cases) {
    const finding = checkVelocityCount(input(order(), history(series(n, newest, spacing))), RULES);
    assert.equal(
      finding?.strength ?? 0,
      strength,
      `${n} earlier attempts from ${newest} min ago every ${spacing}`,
    );
    if (finding) assert.equal(finding.code, "velocity_count");
  }
});

Deno.test("checkVelocityAmount() fires on money spread over several attempts, not on one large order", () => {
  const big = order({ totalCents: 900_000 });
  assert.equal(checkVelocityAmount(input(big), RULES), null);
  const onePrior = (cents: number) => history(series(1, 5, 1, () => ({ totalCents: cents })));
  assert.equal(checkVelocityAmount(input(order({ totalCents: 150_000 }), onePrior(149_999)), RULES), null);
  const edge = checkVelocityAmount(input(order({ totalCents: 150_000 }), onePrior(150_000)), RULES);
  assert.equal(edge?.strength, 0.5);
  assert.match(edge!.message, /£3,000\.00 attempted by this customer in the last 10 minutes/);
});
