import assert from "node:assert/strict";
import { cachedRead, invalidate } from "./cache.ts";
import { createMemoryKv } from "./kv/mod.ts";
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
