import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkRecentSuspicion } from "./recent_suspicion.ts";
import { history, input, order, past } from "./_fixtures.ts";

Deno.test("checkRecentSuspicion() fires after a transaction scored at the review threshold within a day", () => {
  const cases: [number | undefined, number, boolean][] = [
    [49.9, 60, false],
    [50, 60, true],
    [50, 24 * 60 + 1, false],
    [undefined, 60, false], // never scored
  ];
  for (const [score, minutesAgo, fires] of cases) {
    const finding = checkRecentSuspicion(input(order(), history([past(minutesAgo, { score })])), RULES);
    assert.equal(finding !== null, fires, `score ${score} ${minutesAgo} min ago`);
  }
});
