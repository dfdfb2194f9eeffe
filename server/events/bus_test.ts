import assert from "node:assert/strict";
import { createMemoryKv } from "../kv/memory.ts";
import type { Kv } from "../kv/kv.ts";
import { createLogger } from "../log.ts";
import { recordingLogger } from "../testing/recording_logger.ts";
import { type AppEvent, createEventBus } from "./bus.ts";

/** A memory KV that counts its `publishNumbered` calls, or fails them while `down` is set. */
function countingKv(): { kv: Kv; calls: number[]; down: { value: boolean } } {
  const inner = createMemoryKv();
  const calls: number[] = [];
  const down = { value: false };
  const kv: Kv = {
    ...inner,
    publishNumbered(key, atLeast, channel, messages) {
      calls.push(messages.length);
      if (down.value) return Promise.reject(new Error("store unreachable"));
      return inner.publishNumbered(key, atLeast, channel, messages);
    },
  };
  return { kv, calls, down };
}

Deno.test("the changes of one turn are numbered and published together, each caller getting its own events", async () => {
  const { kv, calls } = countingKv();
  const bus = await createEventBus(kv, createLogger("error"));
  const received: AppEvent[] = [];
  bus.subscribe((event) => received.push(event));
  try {
    const [first, second, third] = await Promise.all([
      bus.publishAll([
        { type: "product.changed", data: { productId: 1, change: "updated" } },
        { type: "product.changed", data: { productId: 2, change: "updated" } },
      ]),
      bus.publish("product.changed", { productId: 3, change: "updated" }),
      bus.publishAll([{ type: "product.changed", data: { productId: 4, change: "updated" } }]),
    ]);
    assert.deepEqual(calls, [4]);
    const productsOf = (events: AppEvent[]) =>
      events.map((event) => (event.data as { productId: number }).productId);
    assert.deepEqual(productsOf(first), [1, 2]);
    assert.deepEqual(productsOf([second]), [3]);
    assert.deepEqual(productsOf(third), [4]);
    // numbered in the order they were published, and delivered once each, in that order
    const ids = [...first, second, ...third].map((event) => event.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.deepEqual(new Set(ids).size, 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(received.map((event) => event.id), ids);

    // a later turn is its own publish
    await bus.publish("product.changed", { productId: 5, change: "updated" });
    assert.deepEqual(calls, [4, 1]);
  } finally {
    await bus.close();
  }
});

Deno.test("a turn whose publish fails is delivered on this instance, every caller answered", async () => {
  const { kv, calls, down } = countingKv();
  const bus = await createEventBus(kv, createLogger("error"));
  const received: AppEvent[] = [];
  bus.subscribe((event) => received.push(event));
  try {
    down.value = true;
    const [first, second] = await Promise.all([
      bus.publish("product.changed", { productId: 1, change: "updated" }),
      bus.publish("product.changed", { productId: 2, change: "updated" }),
    ]);
    assert.deepEqual(calls, [2]);
    assert.deepEqual(received.map((event) => event.id), [first.id, second.id]);
    assert.deepEqual(second.id, first.id + 1);
  } finally {
    await bus.close();
  }
});

Deno.test("while the store is away the bus says so once, not once a turn, and once when it is back", async () => {
  const { kv, calls, down } = countingKv();
  const log = recordingLogger();
  const bus = await createEventBus(kv, log);
  try {
    down.value = true;
    // turns one after another, as sales keep coming through an outage
    for (let productId = 1; productId <= 20; productId++) {
      await bus.publish("product.changed", { productId, change: "updated" });
    }
    assert.equal(calls.length, 20, "every turn tried the store");
    assert.deepEqual(log.lines.map((line) => [line.level, line.message]), [
      ["warn", "event bus unreachable: delivered on this instance only"],
    ]);
    // back: the end of the outage says what it came to, once
    down.value = false;
    await bus.publish("product.changed", { productId: 21, change: "updated" });
    await bus.publish("product.changed", { productId: 22, change: "updated" });
    assert.deepEqual(log.lines.slice(1).map((line) => [line.level, line.message]), [
      ["info", "event bus reachable again"],
    ]);
    assert.equal(log.lines[1].fields?.eventsDeliveredHereOnly, 20);
    assert.equal(typeof log.lines[1].fields?.downForMs, "number");
  } finally {
    await bus.close();
  }
});

Deno.test("closing the bus publishes what the turn queued", async () => {
  const { kv, calls } = countingKv();
  const bus = await createEventBus(kv, createLogger("error"));
  const published = bus.publish("product.changed", { productId: 1, change: "updated" });
  await bus.close();
  assert.deepEqual(calls, [1]);
  assert.equal((await published).type, "product.changed");
});
