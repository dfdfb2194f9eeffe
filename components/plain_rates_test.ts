import assert from "node:assert/strict";
import { sayInTen, sayPerDay } from "./plain_rates.ts";

Deno.test("sayInTen() says a share as so many in 10, and sayPerDay() a rate as a person would", () => {
  assert.deepEqual([0, 0.03, 0.26, 0.84, 0.97, 1].map(sayInTen), [
    "none",
    "fewer than 1 in 10",
    "about 3 in 10",
    "about 8 in 10",
    "nearly all",
    "all",
  ]);
  assert.deepEqual([0, 0.5, 0.2, 1.2, 2.7].map(sayPerDay), [
    "no sales",
    "about one sale every 2 days",
    "about one sale every 5 days",
    "about 1 sale a day",
    "about 3 sales a day",
  ]);
});
