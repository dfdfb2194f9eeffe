import assert from "node:assert/strict";
import { endOfDayStock, stockOutDays } from "./stock_history_math.ts";

Deno.test("endOfDayStock() walks back from the stock now through each day's net movement", () => {
  // Now 5; today sold 1 (offset 3); day 2 received 10 and sold 4; day 1 sold 2.
  const movements = new Map([[3, -1], [2, 6], [1, -2]]);
  assert.deepEqual(endOfDayStock(5, movements, 3), [2, 0, 6]);
  assert.deepEqual(endOfDayStock(4, new Map(), 2), [4, 4]);
});

Deno.test("stockOutDays() marks days that started and ended with no stock, not the day it ran out", () => {
  assert.deepEqual(stockOutDays([3, 0, 0, 0, 5, 0], 4), [false, false, true, true, false, false]);
  assert.deepEqual(stockOutDays([0, null, 0], 0), [true, false, false]);
  assert.deepEqual(stockOutDays([0], null), [false]);
});
