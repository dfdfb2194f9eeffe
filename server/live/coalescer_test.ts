import assert from "node:assert/strict";
import { type Clock, createCoalescer } from "./coalescer.ts";

function manualClock() {
  let time = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: Clock = {
    now: () => time,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: time + ms, callback });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  function advance(ms: number) {
    const until = time + ms;
    while (true) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      time = due[1].at;
      due[1].callback();
    }
    time = until;
  }
  return { clock, advance, pendingTimers: () => timers.size };
}

Deno.test("a burst of values reaches the client as the first one at once and the latest one 500 ms later", () => {
  const { clock, advance } = manualClock();
  const sent: { value: number; at: number }[] = [];
  const coalescer = createCoalescer<number>({
    intervalMs: 500,
    emit: (value) => sent.push({ value, at: clock.now() }),
    clock,
  });
  for (let i = 1; i <= 10; i++) {
    coalescer.push(i);
    advance(20);
  }
  advance(1000);
  assert.deepEqual(sent, [{ value: 1, at: 0 }, { value: 10, at: 500 }]);
});

Deno.test("no two emissions are closer than the interval, whatever the pushing pattern", () => {
  const { clock, advance } = manualClock();
  const times: number[] = [];
  const coalescer = createCoalescer<number>({ intervalMs: 500, emit: () => times.push(clock.now()), clock });
  for (const gap of [0, 10, 490, 5, 700, 1, 1, 499, 501, 250, 250, 250]) {
    advance(gap);
    coalescer.push(gap);
  }
  advance(2000);
  assert.ok(times.length >= 4);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 500, `${times}`);
});

Deno.test("close() drops the pending value and its timer", () => {
  const { clock, advance, pendingTimers } = manualClock();
  const sent: number[] = [];
  const coalescer = createCoalescer<number>({ intervalMs: 500, emit: (v) => sent.push(v), clock });
  coalescer.push(1);
  coalescer.push(2);
  coalescer.close();
  assert.equal(pendingTimers(), 0);
  advance(1000);
  coalescer.push(3);
  assert.deepEqual(sent, [1]);
});
