import assert from "node:assert/strict";
import { createMemoryKv } from "./memory.ts";
import { withNamespace } from "./namespaced.ts";

Deno.test("withNamespace() keeps two installations on one store apart", async () => {
  const store = createMemoryKv();
  const shopA = withNamespace(store, "a");
  const shopB = withNamespace(store, "b");
  try {
    await shopA.set("cache:x", "from a", 10_000);
    assert.equal(await shopA.get("cache:x"), "from a");
    assert.equal(await shopB.get("cache:x"), null);

    assert.equal(await shopA.increment("seq"), 1);
    assert.equal(await shopB.increment("seq"), 1);
    assert.equal(await shopA.nextSequence("ids", 10), 10);
    assert.equal(await shopB.nextSequence("ids", 0), 1);

    await shopB.set("cache:y", "1", 10_000);
    assert.equal(await shopA.deleteByPrefix("cache:"), 1);
    assert.equal(await shopB.get("cache:y"), "1");

    const received: string[] = [];
    await shopB.subscribe("events", (message) => received.push(message));
    await shopA.publish("events", "a's event");
    await shopB.publish("events", "b's event");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(received, ["b's event"]);

    assert.equal((await shopA.hit("rate", 1, 60_000)).allowed, true);
    assert.equal((await shopB.hit("rate", 1, 60_000)).allowed, true);
  } finally {
    await store.close();
  }
});
