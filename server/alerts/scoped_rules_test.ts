import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { insertHistoricalSale, insertProduct } from "../analytics/analytics_fixtures.ts";
import { alertLabels } from "../notifications/dispatch.ts";
import { openTestServices } from "../testing/test_services.ts";
import { evaluateAlertRules } from "./evaluate_rules.ts";
import { createRule, type NewRuleSettings } from "./rule_queries.ts";
import { baselineWindow, percentChange } from "./scoped_metrics.ts";

const minute = 60_000;
const day = 24 * 60 * minute;

Deno.test("percent change and baseline windows", () => {
  assert.equal(percentChange(60, 100), -40);
  assert.equal(percentChange(5, 6), -16.7);
  assert.equal(percentChange(3, 0), null);
  const to = new Date("2026-11-30T10:00:00Z");
  const from = new Date("2026-11-30T09:00:00Z");
  assert.deepEqual(baselineWindow(from, to, "previous_window"), {
    from: new Date("2026-11-30T08:00:00Z"),
    to: from,
  });
  assert.deepEqual(baselineWindow(from, to, "same_window_last_week"), {
    from: new Date("2026-11-23T09:00:00Z"),
    to: new Date("2026-11-23T10:00:00Z"),
  });
});

Deno.test("scoped and relative rules on history with known changes", async (t) => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  try {
    const gpu = await insertProduct(sql, { name: "RTX", category: "GPU", priceCents: 10_000, stock: 1_000 });
    const cable = await insertProduct(sql, {
      name: "Cable",
      category: "Cables",
      priceCents: 1_000,
      stock: 1_000,
    });
    const [{ sku: gpuSku }] = await sql<[{ sku: string }]>`select sku from products where id = ${gpu}`;
    const now = new Date(Date.now() + day);
    const at = (ms: number) => new Date(now.getTime() + ms);
    const sell = async (
      when: Date,
      productId: number,
      count: number,
      fraudDecision: "allow" | "review" = "allow",
    ) => {
      for (let i = 0; i < count; i++) {
        await insertHistoricalSale(sql, { at: when, items: [{ productId, quantity: 1 }], fraudDecision });
      }
    };
    // the same hour last week: 10 GPUs and 5 cables; the hour before this one: 6 GPUs; this hour: 5 GPUs
    // (-50% against last week, -16.7% against the hour before) and 5 cables (no change)
    await sell(at(-7 * day - 30 * minute), gpu, 10);
    await sell(at(-7 * day - 30 * minute), cable, 5);
    await sell(at(-90 * minute), gpu, 6);
    await sell(at(-30 * minute), gpu, 4);
    await sell(at(-30 * minute), gpu, 1, "review");
    await sell(at(-30 * minute), cable, 5);
    await sql`update transactions set payment_method = 'paypal' where id in (
      select transaction_id from transaction_items where product_id = ${cable})`;

    const base: NewRuleSettings = {
      name: "",
      metric: "revenue_cents",
      comparator: "<=",
      threshold: -40,
      windowMinutes: 60,
      severity: "high",
      pendingSeconds: 0,
      cooldownSeconds: 600,
      enabled: true,
      webhookUrl: null,
      webhookSecret: null,
    };
    const rule = (over: Partial<NewRuleSettings>) => createRule(sql, { ...base, ...over }, "test");
    const gpuWeek = await rule({
      name: "GPU revenue vs last week",
      scopeType: "category",
      scopeValue: "GPU",
      compareTo: "same_window_last_week",
      pendingSeconds: 60,
    });
    const gpuPrevious = await rule({
      name: "GPU revenue vs previous hour",
      scopeType: "category",
      scopeValue: "GPU",
      compareTo: "previous_window",
    });
    const cablesWeek = await rule({
      name: "Cables vs last week",
      scopeType: "category",
      scopeValue: "Cables",
      compareTo: "same_window_last_week",
    });
    const emptyBaseline = await rule({
      name: "Monitors vs previous hour",
      scopeType: "category",
      scopeValue: "Monitors",
      compareTo: "previous_window",
    });
    const gpuUnits = await rule({
      name: "GPU units",
      metric: "units",
      comparator: ">=",
      threshold: 5,
      scopeType: "product",
      scopeValue: gpuSku,
    });
    const cardFraud = await rule({
      name: "Card fraud rate",
      metric: "fraud_rate",
      comparator: ">=",
      threshold: 20,
      scopeType: "payment_method",
      scopeValue: "card",
    });
    const paypalFraud = await rule({
      name: "PayPal fraud rate",
      metric: "fraud_rate",
      comparator: ">=",
      threshold: 20,
      scopeType: "payment_method",
      scopeValue: "paypal",
    });
    const values = async () =>
      Object.fromEntries(
        (await sql<{ name: string; value: number | null; state: string }[]>`
          select name, last_value as value, state from alert_rules order by id`).map((
          r,
        ) => [r.name, [r.value, r.state]]),
      );

    await t.step(
      "values: % change against last week and the previous window, units and rates per scope",
      async () => {
        const first = await evaluateAlertRules(services, now);
        assert.deepEqual(await values(), {
          "GPU revenue vs last week": [-50, "pending"],
          "GPU revenue vs previous hour": [-16.7, "ok"],
          "Cables vs last week": [0, "ok"],
          "Monitors vs previous hour": [null, "ok"],
          "GPU units": [5, "firing"],
          // card: 5 GPU sales, one of them held for review
          "Card fraud rate": [20, "firing"],
          "PayPal fraud rate": [0, "ok"],
        });
        assert.equal(first.raised.length, 2);
      },
    );

    await t.step(
      "the pending period holds as for absolute rules, then the alert names scope and change",
      async () => {
        const second = await evaluateAlertRules(services, at(minute));
        assert.equal(second.raised.length, 1);
        const [alert] = await sql<[{ id: number; title: string; message: string }]>`
        select id::int, title, message from alerts where rule_id = ${gpuWeek.id}`;
        // the rule's name once (it was "GPU revenue vs last week: Revenue of category GPU -50% vs the same ...")
        assert.equal(alert.title, "GPU revenue vs last week");
        assert.equal(
          alert.message,
          "Revenue in category GPU in the last hour down by at least 40% against the same time last week, " +
            "for 1 minute in a row: £500.00 against £1,000.00 (-50%)",
        );
        const labels = (await alertLabels(sql, [alert.id])).get(alert.id)!.labels;
        assert.equal(labels.category, "GPU");
        assert.equal(labels.rule, String(gpuWeek.id));
        const [units] = await sql<
          [{ id: number }]
        >`select id::int from alerts where rule_id = ${gpuUnits.id}`;
        assert.equal((await alertLabels(sql, [units.id])).get(units.id)!.labels.product, gpuSku);
      },
    );

    await t.step("rules not breached raise nothing", async () => {
      for (const id of [gpuPrevious.id, cablesWeek.id, emptyBaseline.id, paypalFraud.id]) {
        assert.equal((await sql`select 1 from alerts where rule_id = ${id}`).length, 0);
      }
      assert.ok((await sql`select 1 from alerts where rule_id = ${cardFraud.id}`).length === 1);
    });

    await t.step("bad scopes are refused with a clear 400", async () => {
      const manager = api("manager");
      const bad = (message: RegExp) => (error: TRPCError) =>
        error.code === "BAD_REQUEST" && message.test(error.message);
      await assert.rejects(
        manager.alerts.rules.create({ ...base, name: "x", scopeType: "category", compareTo: "absolute" }),
        bad(/scopeValue must name the category/),
      );
      await assert.rejects(
        manager.alerts.rules.create({
          ...base,
          name: "y",
          metric: "low_stock_products",
          compareTo: "previous_window",
        }),
        bad(/low_stock_products can only be measured shop-wide/),
      );
      const created = await manager.alerts.rules.create({
        ...base,
        name: "z",
        scopeType: "payment_method",
        scopeValue: "card",
        compareTo: "previous_window",
      });
      assert.deepEqual([created.scopeType, created.scopeValue, created.compareTo], [
        "payment_method",
        "card",
        "previous_window",
      ]);
      await assert.rejects(
        manager.alerts.rules.update({ id: created.id, scopeType: "shop" }),
        bad(/scopeValue must be empty/),
      );
    });
  } finally {
    await close();
  }
});
