import assert from "node:assert/strict";
import { cachedRead, heldEntry, invalidate, invalidateOnEvents, versionTrustMs } from "./cache.ts";
import { createMemoryKv, withNamespace } from "./kv/mod.ts";
import { createLogger } from "./log.ts";
import type { Kv } from "./kv/kv.ts";
import { createEventBus } from "./events/bus.ts";
import { recordingLogger } from "./testing/recording_logger.ts";

Deno.test("cachedRead() lets concurrent misses of one key share a single load, and loads again after invalidation", async () => {
  const deps = { kv: createMemoryKv(), log: createLogger("error") };
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { figure: loads };
  };
  const options = { namespace: "dashboard" as const, key: "overview", ttlMs: 60_000 };
  const results = await Promise.all(Array.from({ length: 20 }, () => cachedRead(deps, options, load)));
  assert.equal(loads, 1);
  assert.ok(results.every((result) => result.value.figure === 1 && !result.hit));
  assert.equal((await cachedRead(deps, options, load)).hit, true);

  await invalidate(deps.kv, ["dashboard"]);
  const [again] = await Promise.all([cachedRead(deps, options, load), cachedRead(deps, options, load)]);
  assert.equal(loads, 2);
  assert.equal(again.value.figure, 2);
  await deps.kv.close();
});

Deno.test("cachedRead() does not keep a failed load: the next call tries again", async () => {
  const deps = { kv: createMemoryKv(), log: createLogger("error") };
  const options = { namespace: "analytics" as const, key: "top", ttlMs: 60_000 };
  await assert.rejects(
    () => cachedRead(deps, options, () => Promise.reject(new Error("Database away"))),
    /away/,
  );
  const result = await cachedRead(deps, options, () => Promise.resolve(42));
  assert.equal(result.value, 42);
  await deps.kv.close();
});

Deno.test("cachedRead() answers hits without the store, drops them at once on its own invalidation, and sees another instance's within versionTrustMs", async () => {
  const store = createMemoryKv();
  // two instances sharing one store: each keeps its own trusted versions
  const first = { kv: withNamespace(store, "shop"), log: createLogger("error") };
  const second = { kv: withNamespace(store, "shop"), log: createLogger("error") };
  const options = { namespace: "dashboard" as const, key: "overview", ttlMs: 60_000 };
  let loads = 0;
  const load = () => Promise.resolve({ figure: ++loads });
  assert.equal((await cachedRead(first, options, load)).hit, false);
  const hit = await cachedRead(first, options, load);
  assert.equal(hit.hit, true);
  assert.equal(heldEntry(first.kv, "dashboard", "overview"), hit.entry);

  await invalidate(first.kv, ["dashboard"]);
  assert.equal(heldEntry(first.kv, "dashboard", "overview"), undefined, "dropped before the store answers");
  const reloaded = await cachedRead(first, options, load);
  assert.equal(reloaded.hit, false);
  assert.equal(reloaded.value.figure, 2);

  // the other instance invalidates without telling this one (no event): seen once the trust runs out
  await invalidate(second.kv, ["dashboard"]);
  const deadline = Date.now() + versionTrustMs * 3;
  let value = 2;
  while (value === 2 && Date.now() < deadline) {
    value = (await cachedRead(first, options, load)).value.figure;
    if (value === 2) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(value, 3);
  await store.close();
});

Deno.test("invalidate() calls of one turn share one increment per namespace, sent after all of them", async () => {
  const store = createMemoryKv();
  let increments = 0;
  const kv = { ...store, increment: (key: string) => (increments++, store.increment(key)) };
  const deps = { kv, log: createLogger("error") };
  const options = { namespace: "dashboard" as const, key: "overview", ttlMs: 60_000 };
  let loads = 0;
  const load = () => Promise.resolve(++loads);
  await cachedRead(deps, options, load);
  // five events of one pub/sub read
  await Promise.all(Array.from({ length: 5 }, () => invalidate(kv, ["dashboard", "analytics"])));
  assert.equal(increments, 2, "one per namespace");
  assert.equal((await cachedRead(deps, options, load)).value, 2, "the entry was retired");
  await invalidate(kv, ["dashboard"]);
  assert.equal(increments, 3, "a later turn sends its own");
  assert.equal((await cachedRead(deps, options, load)).value, 3);
  await store.close();
});

Deno.test("a namespace version in use is read once by concurrent callers, and again before its trust ends", async (t) => {
  const store = createMemoryKv();
  let versionReads = 0;
  let gate: Promise<void> | undefined;
  const kv = {
    ...store,
    get: async (key: string) => {
      if (key.includes(":version:")) {
        versionReads++;
        await gate;
      }
      return await store.get(key);
    },
  };
  const deps = { kv, log: createLogger("error") };
  const options = { namespace: "dashboard" as const, key: "overview", ttlMs: 60_000 };
  let loads = 0;
  const load = () => Promise.resolve({ figure: ++loads });
  // the trust is counted on Date.now(): a clock of the test's own makes the moments exact
  const realNow = Date.now;
  let clock = realNow();
  Date.now = () => clock;
  try {
    await t.step("20 requests of a fresh instance read the version once", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => cachedRead(deps, options, load)));
      assert.equal(versionReads, 1);
      assert.equal(loads, 1);
      assert.ok(results.every((result) => result.value.figure === 1));
    });

    await t.step("before the last quarter of the trust a hit reads nothing", () => {
      clock += versionTrustMs / 2;
      assert.ok(heldEntry(kv, "dashboard", "overview"));
      assert.equal(versionReads, 1);
    });

    await t.step(
      "in its last quarter a hit starts one read, and the trust outlasts its first end",
      async () => {
        clock += versionTrustMs * 0.3;
        assert.ok(heldEntry(kv, "dashboard", "overview"));
        assert.ok(heldEntry(kv, "dashboard", "overview"));
        await new Promise((resolve) => setTimeout(resolve, 0));
        assert.equal(versionReads, 2, "one read for both hits");
        clock += versionTrustMs * 0.4;
        assert.ok(heldEntry(kv, "dashboard", "overview"), "still trusted after the first trust's end");
        assert.equal(loads, 1);
      },
    );

    await t.step(
      "a read that started before this instance's own invalidation is not shared after it",
      async () => {
        let release!: () => void;
        gate = new Promise((resolve) => release = resolve);
        clock += versionTrustMs * 2; // the trust has run out: the next request reads the version
        const before = cachedRead(deps, options, load);
        await new Promise((resolve) => setTimeout(resolve, 0));
        await invalidate(kv, ["dashboard"]);
        const after = cachedRead(deps, options, load);
        await new Promise((resolve) => setTimeout(resolve, 0));
        release();
        assert.equal((await after).value.figure, 2, "the invalidated entry is not served");
        await before;
        assert.equal(versionReads, 4, "its own read, not the earlier one");
      },
    );
  } finally {
    Date.now = realNow;
    await store.close();
  }
});

Deno.test("concurrent requests of an instance read an entry another instance stored once", async () => {
  const store = createMemoryKv();
  const first = { kv: withNamespace(store, "shop"), log: createLogger("error") };
  let entryReads = 0;
  const shared = withNamespace(store, "shop");
  const secondKv = {
    ...shared,
    get: (key: string) => {
      if (key.endsWith(":overview")) entryReads++;
      return shared.get(key);
    },
  };
  const second = { kv: secondKv, log: createLogger("error") };
  const options = { namespace: "dashboard" as const, key: "overview", ttlMs: 60_000 };
  let loads = 0;
  const load = () => Promise.resolve({ figure: ++loads });
  await cachedRead(first, options, load);
  const results = await Promise.all(Array.from({ length: 20 }, () => cachedRead(second, options, load)));
  assert.equal(entryReads, 1);
  assert.equal(loads, 1, "loaded by the first instance only");
  assert.ok(results.every((result) => result.hit && result.value.figure === 1));
  await store.close();
});

Deno.test("while the store is away, cache invalidation says so once, not once a sale", async () => {
  const inner = createMemoryKv();
  // the bus works on its own store; the cache's store refuses every increment, as an absent Redis does
  const bus = await createEventBus(inner, createLogger("error"));
  let away = true;
  const store: Kv = {
    ...inner,
    increment: (...args) =>
      away ? Promise.reject(new Error("The client is offline")) : inner.increment(...args),
  };
  const log = recordingLogger();
  const stop = invalidateOnEvents({ kv: store, bus, log });
  const publishSome = async (count: number) => {
    for (let id = 1; id <= count; id++) {
      await bus.publish("product.changed", { productId: id, change: "updated" });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  try {
    await publishSome(20);
    assert.deepEqual(log.lines.map((line) => [line.level, line.message]), [[
      "warn",
      "cache invalidation failed",
    ]]);
    // the store comes back: one line says how long and how many, however many invalidations follow
    away = false;
    await publishSome(3);
    assert.deepEqual(log.lines.map((line) => [line.level, line.message]), [
      ["warn", "cache invalidation failed"],
      ["info", "cache invalidation works again"],
    ]);
    const back = log.lines[1].fields as { downForMs: number; invalidationsFailed: number };
    assert.equal(back.invalidationsFailed, 20);
    assert.ok(back.downForMs >= 0);
  } finally {
    stop();
    await bus.close();
  }
});
