import assert from "node:assert/strict";
import type { LogFields } from "../log.ts";
import { outageLog, repeatLimit } from "./repeat_limit.ts";
import { recordingLogger } from "../testing/recording_logger.ts";

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

Deno.test("outageLog: one warning per window while it fails, then one line with how long and how much", () => {
  let now = 1_000;
  const log = recordingLogger();
  let built = 0;
  const outage = outageLog(log, { failing: "x failed", back: "x works again", counted: "xFailed" }, {
    clock: () => now,
  });
  outage.worked(); // nothing failed yet: nothing to say
  for (let i = 0; i < 30; i++) {
    outage.failed(2, () => ({ attempt: ++built }));
    now += 1_000;
  }
  assert.equal(built, 3, "a warning's fields are built only when it is written");
  outage.worked();
  outage.worked(); // the outage's end is said once
  assert.deepEqual(log.lines.map((line) => [line.level, line.message, line.fields]), [
    ["warn", "x failed", { attempt: 1 }],
    ["warn", "x failed", { attempt: 2, similarLeftOut: 9 }],
    ["warn", "x failed", { attempt: 3, similarLeftOut: 9 }],
    ["info", "x works again", { downForMs: 30_000, xFailed: 60 }],
  ]);
});
