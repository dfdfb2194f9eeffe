import assert from "node:assert/strict";
import type { Kv } from "./kv.ts";
import { createMemoryKv } from "./memory.ts";
import { createRedisKv } from "./redis.ts";

// The same contract for both stores: Redis on this machine (REDIS_URL or the local default) and memory.
const redisUrl = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
const stores: [string, () => Promise<Kv>][] = [
  ["memory", () => Promise.resolve(createMemoryKv())],
  ["redis", () => createRedisKv(redisUrl)],
];

/** Subscribes to `channel`, keeping its messages; `arrived` resolves once `count` of them came. */
async function collect(kv: Kv, channel: string, count: number) {
  const received: string[] = [];
  let notify = () => {};
  const arrived = new Promise<void>((resolve) => notify = resolve);
  const unsubscribe = await kv.subscribe(channel, (message) => {
    received.push(message);
    if (received.length === count) notify();
  });
  return { received, arrived, unsubscribe };
}

function waitFor<T>(promise: Promise<T>, ms = 2_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]).finally(() => clearTimeout(timer));
}

for (const [name, open] of stores) {
  Deno.test(`${name} kv`, async (t) => {
    const kv = await open();
    const prefix = `test:${crypto.randomUUID()}:`;
    try {
      await t.step("get() returns what set() stored, and null for a missing key", async () => {
        await kv.set(`${prefix}a`, "1", 10_000);
        assert.equal(await kv.get(`${prefix}a`), "1");
        assert.equal(await kv.get(`${prefix}missing`), null);
      });

      await t.step("a value expires after its TTL", async () => {
        await kv.set(`${prefix}short`, "x", 30);
        await new Promise((resolve) => setTimeout(resolve, 80));
        assert.equal(await kv.get(`${prefix}short`), null);
      });

      await t.step("deleteByPrefix() removes exactly the keys under the prefix", async () => {
        await kv.set(`${prefix}p:1`, "1", 10_000);
        await kv.set(`${prefix}p:2`, "2", 10_000);
        await kv.set(`${prefix}q:1`, "3", 10_000);
        assert.equal(await kv.deleteByPrefix(`${prefix}p:`), 2);
        assert.equal(await kv.get(`${prefix}p:1`), null);
        assert.equal(await kv.get(`${prefix}q:1`), "3");
      });

      await t.step("a prefix with glob characters is taken literally", async () => {
        await kv.set(`${prefix}star*x`, "1", 10_000);
        await kv.set(`${prefix}starAx`, "2", 10_000);
        assert.equal(await kv.deleteByPrefix(`${prefix}star*`), 1);
        assert.equal(await kv.get(`${prefix}starAx`), "2");
      });

      await t.step("increment() counts from zero atomically", async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => kv.increment(`${prefix}n`)));
        assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      });

      await t.step(
        "nextSequence() never runs backwards: one more than before, or the floor when higher",
        async () => {
          const key = `${prefix}seq`;
          assert.equal(await kv.nextSequence(key, 0), 1);
          assert.equal(await kv.nextSequence(key, 0), 2);
          // A floor far above (a clock after the store lost its counter) wins, exactly, without an exponent
          assert.equal(await kv.nextSequence(key, 176_000_000_000_000), 176_000_000_000_000);
          assert.equal(await kv.nextSequence(key, 5), 176_000_000_000_001);
          assert.equal(await kv.get(key), "176000000000001");
          const racing = await Promise.all(Array.from({ length: 20 }, () => kv.nextSequence(key, 0)));
          assert.equal(new Set(racing).size, 20, "concurrent calls get distinct ids");
        },
      );

      await t.step("a subscriber receives published messages in order until it unsubscribes", async () => {
        const channel = `${prefix}events`;
        const { received, arrived: three, unsubscribe } = await collect(kv, channel, 3);
        for (const message of ["one", "two", "three"]) await kv.publish(channel, message);
        await waitFor(three);
        assert.deepEqual(received, ["one", "two", "three"]);
        await unsubscribe();
        await kv.publish(channel, "four");
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(received, ["one", "two", "three"]);
      });

      await t.step(
        "publishNumbered() numbers its messages from the counter, publishes them in order, and returns the numbers",
        async () => {
          const key = `${prefix}pubseq`;
          const channel = `${prefix}numbered`;
          const { received, arrived: four, unsubscribe } = await collect(kv, channel, 4);
          assert.equal(await kv.nextSequence(key, 0), 1);
          const messages = [{ head: "a-", tail: "-x" }, { head: "b-", tail: "" }];
          assert.deepEqual(await kv.publishNumbered(key, 0, channel, messages), [2, 3]);
          // a floor above the counter (a store that lost it) wins for the first, without an exponent
          assert.deepEqual(await kv.publishNumbered(key, 176_000_000_000_000, channel, messages), [
            176_000_000_000_000,
            176_000_000_000_001,
          ]);
          await waitFor(four);
          assert.deepEqual(received, ["a-2-x", "b-3", "a-176000000000000-x", "b-176000000000001"]);
          assert.equal(await kv.nextSequence(key, 0), 176_000_000_000_002);
          await unsubscribe();
        },
      );

      await t.step("hit() allows `limit` hits per window, then refuses with a retry time", async () => {
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await kv.hit(`${prefix}rl`, 3, 60_000));
        assert.deepEqual(results.map((r) => r.allowed), [true, true, true, false]);
        assert.deepEqual(results.map((r) => r.remaining), [2, 1, 0, 0]);
        assert.ok(results[3].retryAfterMs > 0 && results[3].retryAfterMs <= 60_000);
      });

      await t.step("ping() answers with a round-trip time", async () => {
        assert.ok((await kv.ping()) >= 0);
      });
    } finally {
      await kv.deleteByPrefix(prefix);
      await kv.close();
    }
  });
}
