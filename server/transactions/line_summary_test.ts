import assert from "node:assert/strict";
import { lineSummaryOf } from "./line_summary.ts";

Deno.test("an order's line summary: its largest line and its units per category", () => {
  assert.deepEqual(
    lineSummaryOf([
      { category: "phones", quantity: 2 },
      { category: "gift_cards", quantity: 5 },
      { category: "phones", quantity: 3 },
    ]),
    { maxItemQuantity: 5, categoryUnits: { phones: 5, gift_cards: 5 } },
  );
});

Deno.test("an order without lines sums to nothing", () => {
  assert.deepEqual(lineSummaryOf([]), { maxItemQuantity: 0, categoryUnits: {} });
});
