import assert from "node:assert/strict";
import { createEventBus } from "../events/bus.ts";
import { createMemoryKv } from "../kv/mod.ts";
import { createLogger } from "../log.ts";
import type { Services } from "../services.ts";
import type { Caller } from "../trpc/roles.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { cachedCaller, callerCacheMs, forgetCachedCallers } from "./caller_cache.ts";

Deno.test("a revocation ends this instance's cached callers before its event comes back", async () => {
  // The bus's transport holds every message back, as a slow Redis would: only the publisher's own
  // step can make the next lookup ask the database again
  const kv = createMemoryKv();
  const held: (() => void)[] = [];
  const slowKv = {
    ...kv,
    subscribe: (channel: string, listener: (message: string) => void) =>
      kv.subscribe(channel, (message) => held.push(() => listener(message))),
  };
  const log = createLogger("error");
  const bus = await createEventBus(slowKv, log);
  const services = { bus, log } as unknown as Services;
  const manager: Caller = { userId: 7, username: "mia", role: "manager", via: "session" };
  let lookups = 0;
  const lookUp = () => {
    lookups++;
    return Promise.resolve(lookups === 1 ? manager : null);
  };
  try {
    assert.deepEqual(await cachedCaller(services, "session-hash", lookUp), manager);
    assert.deepEqual(await cachedCaller(services, "session-hash", lookUp), manager, "from the cache");
    assert.equal(lookups, 1);
    await publishAccessRevoked(services, { sessionIdHash: "session-hash", reason: "signed_out" });
    assert.equal(held.length, 1, "the event has not come back yet");
    assert.equal(await cachedCaller(services, "session-hash", lookUp), null);
    assert.equal(lookups, 2);
  } finally {
    for (const deliver of held) deliver();
    await bus.close();
    await kv.close();
  }
});

Deno.test("a caller in use is looked up once at a time, and again before its entry runs out", async (t) => {
  const kv = createMemoryKv();
  const log = createLogger("error");
  const bus = await createEventBus(kv, log);
  const services = { bus, log } as unknown as Services;
  const manager: Caller = { userId: 8, username: "ola", role: "manager", via: "token" };
  let lookups = 0;
  let gate: Promise<void> | undefined;
  let answer: Caller | null = manager;
  const lookUp = async () => {
    lookups++;
    await gate;
    return answer;
  };
  // the entries' ends are counted on Date.now(): a clock of the test's own makes the moments exact
  const realNow = Date.now;
  let clock = realNow();
  Date.now = () => clock;
  try {
    await t.step("100 requests that miss together make one lookup", async () => {
      const callers = await Promise.all(
        Array.from({ length: 100 }, () => cachedCaller(services, "token-hash", lookUp)),
      );
      assert.equal(lookups, 1);
      assert.ok(callers.every((caller) => caller?.username === "ola"));
    });

    await t.step(
      "in the entry's last second a hit starts one lookup, and the entry outlasts its first end",
      async () => {
        clock += callerCacheMs - 500;
        await Promise.all([
          cachedCaller(services, "token-hash", lookUp),
          cachedCaller(services, "token-hash", lookUp),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 0));
        assert.equal(lookups, 2, "one lookup for both hits");
        clock += 1_000;
        assert.equal((await cachedCaller(services, "token-hash", lookUp))?.username, "ola");
        assert.equal(lookups, 2);
      },
    );

    await t.step("a request after a revocation does not join a lookup that started before it", async () => {
      let release!: () => void;
      gate = new Promise((resolve) => release = resolve);
      clock += callerCacheMs * 2;
      const before = cachedCaller(services, "token-hash", lookUp);
      forgetCachedCallers(services);
      answer = null;
      const after = cachedCaller(services, "token-hash", lookUp);
      release();
      assert.equal(await after, null, "its own lookup, after the revocation");
      await before;
      assert.equal(lookups, 4);
      assert.equal(
        await cachedCaller(services, "token-hash", lookUp),
        null,
        "the earlier answer was not kept",
      );
    });
  } finally {
    Date.now = realNow;
    await bus.close();
    await kv.close();
  }
});
