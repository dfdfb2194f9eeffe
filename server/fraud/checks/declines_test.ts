import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkDeclinedAttempts } from "./declines.ts";
import { history, input, order, series } from "./_fixtures.ts";

Deno.test("checkDeclinedAttempts() fires from two declines in the last hour", () => {
  const cases: [number, number, number][] = [
    [1, 5, 0],
    [2, 5, 0.5],
    [2, 59, 0.5],
    [2, 61, 0],
    [5, 1, 1],
  ];
  for (const [declines, newestMinutesAgo, strength] of cases) {
    const h = history([
      ...series(declines, newestMinutesAgo, 0.5, () => ({ status: "declined" })),
      ...series(3, 1, 1),
    ]);
    const finding = checkDeclinedAttempts(input(order(), h), RULES);
    assert.equal(finding?.strength ?? 0, strength, `${declines} declines from ${newestMinutesAgo} min ago`);
  }
});
