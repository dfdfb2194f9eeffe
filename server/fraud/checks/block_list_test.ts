import assert from "node:assert/strict";
import { DEFAULT_FRAUD_RULES as RULES } from "../rules.ts";
import { checkBlockList } from "./block_list.ts";
import { history, input, order } from "./_fixtures.ts";

Deno.test("checkBlockList() fires for a blocked customer unless the allow list overrides", () => {
  const cases: [boolean, boolean, boolean][] = [
    [false, false, false],
    [true, false, true],
    [true, true, false],
    [false, true, false],
  ];
  for (const [blockListed, allowListed, fires] of cases) {
    const finding = checkBlockList(input(order(), history([], { blockListed, allowListed })), RULES);
    assert.equal(finding !== null, fires, `block ${blockListed} allow ${allowListed}`);
  }
});
