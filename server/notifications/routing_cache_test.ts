import assert from "node:assert/strict";
import { raiseAlert } from "../alerts/alert_queries.ts";
import type { Sql } from "../db/mod.ts";
import { connect } from "../db/sql.ts";
import { createEventBus } from "../events/bus.ts";
import { recordEvents, until } from "../testing/events.ts";
import { openTestServices } from "../testing/test_services.ts";
import { type DispatchDeps, enqueueAlert } from "./dispatch.ts";
import { routingSettingsOf } from "./routing_cache.ts";
import { dispatchDeps } from "./start_notifications.ts";

// Each instance routes new alerts from its own copy of the policies and silences; a change reaches
// the next alert routed on the instance that made it at once, and on the others through the bus
Deno.test("routing settings are kept per instance and dropped when notification settings change", async (t) => {
  const { services, database, api, close } = await openTestServices();
  // Instance one's bus can hold messages back, as a slow Redis would: then only the change's own step
  // can make the next alert routed here see it
  const held: (() => void)[] = [];
  let holding = false;
  const ownBus = services.bus;
  services.bus = await createEventBus({
    ...services.kv,
    subscribe: (channel: string, listener: (message: string) => void) =>
      services.kv.subscribe(
        channel,
        (message) => holding ? held.push(() => listener(message)) : listener(message),
      ),
  }, services.log);
  const manager = api("manager");
  // a second instance of the app: its own bus on the same store, its own pool when it can have one
  const otherBus = await createEventBus(services.kv, services.log);
  const otherSql: Sql = database.kind === "postgres" ? connect(database.url, { max: 2 }) : services.db.sql;
  // trusted long enough that only a change, never the clock, makes an instance read again
  const ttlMs = 600_000;
  const one: DispatchDeps = {
    ...dispatchDeps(services),
    routing: routingSettingsOf(services, { ttlMs }),
  };
  const two: DispatchDeps = {
    ...one,
    sql: otherSql,
    routing: routingSettingsOf({ db: { sql: otherSql }, bus: otherBus }, { ttlMs }),
  };
  const heardByOne = recordEvents(services.bus);
  const heardByTwo = recordEvents(otherBus);
  const changesHeard = (events: { type: string }[]) =>
    events.filter((e) => e.type === "notifications.changed").length;
  const raise = async (type: string) =>
    (await raiseAlert(services.db.sql, { type, severity: "low", title: type })).alert.id;
  // the policy each alert was queued for
  const policyOf = async (alertId: number) => {
    const rows = await services.db.sql<{ policy_id: number }[]>`
      select policy_id::int from notifications where ${alertId}::bigint = any(alert_ids)`;
    return rows.map((row) => row.policy_id);
  };
  try {
    const point = await manager.notifications.contactPoints.create({
      name: "routing cache hook",
      kind: "webhook",
      url: "https://hooks.example.com/routing",
    });
    const fallback = await manager.notifications.policies.create({
      contactPointId: point.id,
      isDefault: true,
    });
    const matching = await manager.notifications.policies.create({
      contactPointId: point.id,
      position: 1,
      matchers: [{ label: "type", op: "=", value: "cache-probe" }],
    });
    const now = () => new Date();
    // both instances read and keep the settings
    let id = await raise("cache-probe");
    await enqueueAlert(one, id, now());
    assert.deepEqual(await policyOf(id), [matching.id]);
    id = await raise("cache-probe");
    await enqueueAlert(two, id, now());
    assert.deepEqual(await policyOf(id), [matching.id]);

    await t.step("a change made here applies to the next alert here at once", async () => {
      const changesBefore = changesHeard(heardByTwo.events);
      holding = true;
      await manager.notifications.policies.update({
        id: matching.id,
        contactPointId: point.id,
        position: 1,
        matchers: [{ label: "type", op: "=", value: "something-else" }],
      });
      const next = await raise("cache-probe");
      await enqueueAlert(one, next, now());
      assert.ok(held.length > 0, "the change's event has not come back here yet");
      assert.deepEqual(await policyOf(next), [fallback.id]);
      holding = false;
      for (const deliver of held.splice(0)) deliver();

      // and on the other instance once the bus has told it
      await until(
        () => changesHeard(heardByTwo.events) > changesBefore,
        "notifications.changed on instance two",
      );
      const there = await raise("cache-probe");
      await enqueueAlert(two, there, now());
      assert.deepEqual(await policyOf(there), [fallback.id]);
    });

    await t.step("the copy is what routes: a change behind the app's back waits for an event", async () => {
      // instance one reads its copy again (the last step's event dropped it)
      const warm = await raise("cache-probe");
      await enqueueAlert(one, warm, now());
      assert.deepEqual(await policyOf(warm), [fallback.id]);
      await services.db.sql`
        update notification_policies set matchers = '[{"label": "type", "op": "=", "value": "cache-probe"}]'
        where id = ${matching.id}`;
      const stale = await raise("cache-probe");
      await enqueueAlert(one, stale, now());
      assert.deepEqual(await policyOf(stale), [fallback.id], "routed from the copy, not the table");
      // another instance announces a change: this one reads again
      const changesBefore = changesHeard(heardByOne.events);
      await otherBus.publish("notifications.changed", { what: "notifications.policies.update" });
      await until(
        () => changesHeard(heardByOne.events) > changesBefore,
        "notifications.changed on instance one",
      );
      const fresh = await raise("cache-probe");
      await enqueueAlert(one, fresh, now());
      assert.deepEqual(await policyOf(fresh), [matching.id]);
    });

    await t.step("a silence applies to the next alert, and its end too, on both instances", async () => {
      const changesBefore = changesHeard(heardByTwo.events);
      const silence = await api("analyst").notifications.silences.create({
        matchers: [{ label: "type", op: "=", value: "cache-probe" }],
        endsAt: new Date(Date.now() + 3_600_000),
        comment: "maintenance",
      });
      assert.deepEqual(await enqueueAlert(one, await raise("cache-probe"), now()), ["silenced"]);
      await until(() => changesHeard(heardByTwo.events) > changesBefore, "the silence heard on instance two");
      assert.deepEqual(await enqueueAlert(two, await raise("cache-probe"), now()), ["silenced"]);

      const beforeExpiry = changesHeard(heardByTwo.events);
      await api("analyst").notifications.silences.expire({ id: silence.id });
      assert.deepEqual(await enqueueAlert(one, await raise("cache-probe"), now()), ["pending"]);
      await until(() => changesHeard(heardByTwo.events) > beforeExpiry, "the expiry heard on instance two");
      assert.deepEqual(await enqueueAlert(two, await raise("cache-probe"), now()), ["pending"]);
    });

    await t.step("a moment before the copy was read is routed from the database", async () => {
      // a silence that ended an hour ago still covered an alert two hours ago
      await services.db.sql`
        insert into silences (matchers, starts_at, ends_at, comment, created_by)
        values ('[{"label": "type", "op": "=", "value": "cache-probe"}]', now() - interval '3 hours',
          now() - interval '1 hour', 'over', 'test')`;
      const past = new Date(Date.now() - 2 * 3_600_000);
      assert.deepEqual(await enqueueAlert(one, await raise("cache-probe"), past), ["silenced"]);
    });
  } finally {
    holding = false;
    for (const deliver of held.splice(0)) deliver();
    heardByOne.stop();
    heardByTwo.stop();
    await otherBus.close();
    await services.bus.close();
    services.bus = ownBus;
    if (otherSql !== services.db.sql) await otherSql.end();
    await close();
  }
});
