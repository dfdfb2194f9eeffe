import assert from "node:assert/strict";
import type { LogFields } from "../log.ts";
import { repeatLimit } from "./repeat_limit.ts";

Deno.test("a repeating line goes through once a window, the next one telling how many were left out", () => {
  let now = 0;
  const gate = repeatLimit(10_000, () => now);
  const written: LogFields[] = [];
  const write = (extra: LogFields) => written.push(extra);
  gate(write); // the first: through
  for (let i = 0; i < 500; i++) {
    now += 10; // 500 more within the window: counted
    gate(write);
  }
  assert.deepEqual(written, [{}]);
  now = 10_000;
  gate(write);
  assert.deepEqual(written, [{}, { similarLeftOut: 500 }]);
  now = 30_000; // a quiet spell: the next one through has nothing to add
  gate(write);
  assert.deepEqual(written, [{}, { similarLeftOut: 500 }, {}]);
});
