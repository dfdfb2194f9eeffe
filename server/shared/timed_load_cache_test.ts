import assert from "node:assert/strict";
import { timedLoadCache } from "./timed_load_cache.ts";

Deno.test("timedLoadCache shares one load among concurrent misses and keeps it for its TTL", async (t) => {
  const owner = {};
  let loads = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const cache = timedLoadCache(1_000, async (_owner: object, now: Date) => {
    loads++;
    await gate;
    return now.getTime();
  });

  await t.step("64 callers that miss together start one load and all get its value", async () => {
    const waiting = Array.from({ length: 64 }, () => cache.get(owner, new Date(10_000)));
    assert.equal(loads, 1);
    release();
    assert.deepEqual(new Set(await Promise.all(waiting)), new Set([10_000]));
  });

  await t.step("within the TTL the value stays; at the TTL it is loaded again", async () => {
    assert.equal(await cache.get(owner, new Date(10_999)), 10_000);
    assert.equal(loads, 1);
    assert.equal(await cache.get(owner, new Date(11_000)), 11_000);
    assert.equal(loads, 2);
  });

  await t.step("a moment before the entry's is loaded for itself (a replay going back)", async () => {
    assert.equal(await cache.get(owner, new Date(10_500)), 10_500);
    assert.equal(loads, 3);
  });

  await t.step("each owner has its own entry, and forget drops one", async () => {
    const other = {};
    assert.equal(await cache.get(other, new Date(10_600)), 10_600);
    assert.equal(loads, 4);
    cache.forget(owner);
    assert.equal(await cache.get(owner, new Date(10_700)), 10_700);
    assert.equal(await cache.get(other, new Date(10_700)), 10_600);
    assert.equal(loads, 5);
  });
});

Deno.test("timedLoadCache does not keep a failed load", async () => {
  const owner = {};
  let calls = 0;
  const cache = timedLoadCache(60_000, (_owner: object) => {
    calls++;
    return calls === 1 ? Promise.reject(new Error("database away")) : Promise.resolve("loaded");
  });
  const [first, second] = await Promise.allSettled([cache.get(owner), cache.get(owner)]);
  assert.equal(first.status, "rejected");
  assert.equal(second.status, "rejected", "a caller that joined the failed load shares its error");
  assert.equal(await cache.get(owner), "loaded");
  assert.equal(calls, 2);
});

Deno.test("timedLoadCache with earlierMs serves a moment that much before the entry's from it", async () => {
  const owner = {};
  let loads = 0;
  const cache = timedLoadCache(1_000, (_owner: object, now: Date) => {
    loads++;
    return Promise.resolve(now.getTime());
  }, { earlierMs: 1_000 });
  assert.equal(await cache.get(owner, new Date(10_000)), 10_000);
  assert.equal(await cache.get(owner, new Date(9_995)), 10_000, "a request whose clock was read just before");
  assert.equal(await cache.get(owner, new Date(9_000)), 10_000);
  assert.equal(loads, 1);
  assert.equal(await cache.get(owner, new Date(8_999)), 8_999, "further back loads for itself");
  assert.equal(await cache.get(owner, new Date(9_998)), 8_999, "and later moments within the TTL share it");
  assert.equal(loads, 2);
});
