import assert from "node:assert/strict";
import { insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { recordEvents, until } from "../testing/events.ts";
import { saleEventData } from "../events/events_fixtures.ts";
import { openTestServices } from "../testing/test_services.ts";
import { evaluateAlertRules, startAlertRuleEvaluation } from "./evaluate_rules.ts";
import { createRule } from "./rule_queries.ts";

const minute = 60_000;

Deno.test("alert rules raise one alert per condition and stay quiet while a metric flaps", async (t) => {
  const { services, close } = await openTestServices();
  const { sql } = services.db;
  const { events, stop } = recordEvents(services.bus);
  try {
    const product = await insertProduct(sql, { priceCents: 1_000, stock: 100 });
    const rule = await createRule(sql, {
      name: "Suspicious burst",
      metric: "suspicious_transactions",
      comparator: ">=",
      threshold: 2,
      windowMinutes: 10,
      severity: "high",
      pendingSeconds: 60,
      cooldownSeconds: 600,
      enabled: true,
      webhookUrl: null,
      webhookSecret: null,
    }, "test");
    const base = Date.now();
    const at = (minutes: number) => new Date(base + minutes * minute);
    const suspicious = (when: Date) =>
      insertHistoricalSale(sql, {
        at: when,
        items: [{ productId: product, quantity: 1 }],
        fraudDecision: "review",
      });
    const openAlerts = async () =>
      (await sql<
        { id: number }[]
      >`select id from alerts where dedupe_key = ${`rule:${rule.id}`} and status <> 'resolved'`)
        .length;

    await t.step("a breach waits out the pending period before raising", async () => {
      await suspicious(at(-2));
      await suspicious(at(-1));
      const first = await evaluateAlertRules(services, at(0));
      assert.deepEqual(first.raised, []);
      const [state] = await sql<[{ state: string; value: number }]>`
        select state, last_value as value from alert_rules where id = ${rule.id}`;
      assert.deepEqual(state, { state: "pending", value: 2 });
      const second = await evaluateAlertRules(services, at(1));
      assert.equal(second.raised.length, 1);
      assert.equal(await openAlerts(), 1);
    });

    await t.step("evaluating again while it still breaches adds no alert", async () => {
      await suspicious(at(1.5));
      for (const m of [2, 3, 4]) assert.deepEqual((await evaluateAlertRules(services, at(m))).raised, []);
      assert.equal(await openAlerts(), 1);
    });

    await t.step("when the window clears the alert resolves itself and the cooldown starts", async () => {
      // at +12 min the window (+2..+12) holds no suspicious sale
      const result = await evaluateAlertRules(services, at(12));
      assert.equal(result.resolved.length, 1);
      assert.equal(await openAlerts(), 0);
      const [row] = await sql<[{ state: string }]>`select state from alert_rules where id = ${rule.id}`;
      assert.equal(row.state, "cooldown");
    });

    await t.step("breaching again inside the cooldown raises nothing", async () => {
      await suspicious(at(13));
      await suspicious(at(14));
      for (const m of [15, 17, 19, 21]) {
        assert.deepEqual((await evaluateAlertRules(services, at(m))).raised, []);
      }
    });

    await t.step("after the cooldown a lasting breach raises a new alert", async () => {
      await suspicious(at(22.5));
      await suspicious(at(23));
      assert.deepEqual((await evaluateAlertRules(services, at(23.5))).raised, []);
      const result = await evaluateAlertRules(services, at(24.5));
      assert.equal(result.raised.length, 1);
      const alerts = await sql<{ status: string }[]>`
        select status from alerts where dedupe_key = ${`rule:${rule.id}`} order by id`;
      assert.deepEqual(alerts.map((a) => a.status), ["resolved", "open"]);
      const raised = () => events.filter((e) => e.type === "alert.raised").length;
      await until(() => raised() >= 2, "two alert.raised");
      assert.equal(raised(), 2);
    });

    await t.step("two evaluators at once still raise one alert", async () => {
      const other = await createRule(sql, {
        name: "Any order",
        metric: "orders",
        comparator: ">=",
        threshold: 1,
        windowMinutes: 60,
        severity: "info",
        pendingSeconds: 0,
        cooldownSeconds: 0,
        enabled: true,
        webhookUrl: null,
        webhookSecret: null,
      }, "test");
      await insertHistoricalSale(sql, { at: at(24), items: [{ productId: product, quantity: 1 }] });
      const results = await Promise.all([
        evaluateAlertRules(services, at(25)),
        evaluateAlertRules(services, at(25)),
      ]);
      assert.equal(results.flatMap((r) => r.raised).length, 1);
      const [count] = await sql<[{ n: number }]>`
        select count(*)::int as n from alerts where dedupe_key = ${`rule:${other.id}`}`;
      assert.equal(count.n, 1);
    });

    await t.step("startAlertRuleEvaluation() evaluates after a transaction event", async () => {
      await sql`delete from alerts`;
      await sql`update alert_rules set state = 'ok', state_since = null, cooldown_until = null, alert_id = null`;
      const stopEvaluation = startAlertRuleEvaluation(services, { debounceMs: 10 });
      try {
        await insertHistoricalSale(sql, { at: new Date(), items: [{ productId: product, quantity: 1 }] });
        await services.bus.publish("transaction.created", saleEventData({ id: 1 }));
        for (let i = 0; i < 100 && (await sql`select 1 from alerts where type = 'rule'`).length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const [row] = await sql<[{ n: number }]>`select count(*)::int as n from alerts where type = 'rule'`;
        assert.ok(row.n >= 1);
      } finally {
        await stopEvaluation();
      }
    });
  } finally {
    stop();
    await close();
  }
});
