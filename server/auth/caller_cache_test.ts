import assert from "node:assert/strict";
import { createEventBus } from "../events/bus.ts";
import { createMemoryKv } from "../kv/mod.ts";
import { createLogger } from "../log.ts";
import type { Services } from "../services.ts";
import type { Caller } from "../trpc/roles.ts";
import { publishAccessRevoked } from "./access_revoked.ts";
import { cachedCaller } from "./caller_cache.ts";

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
