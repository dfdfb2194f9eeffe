import assert from "node:assert/strict";
import { cachedRead, heldEntry, invalidate, versionTrustMs } from "./cache.ts";
import { createMemoryKv, withNamespace } from "./kv/mod.ts";
import { createLogger } from "./log.ts";

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
