import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { recordEvents, until } from "../testing/events.ts";
import { invalidate, invalidateOnEvents } from "../cache.ts";
import { openTestServices } from "../testing/test_services.ts";
import { raiseAlert } from "./alert_queries.ts";

const code = (expected: string) => (error: TRPCError) => error.code === expected;

Deno.test("alerts procedures", async (t) => {
  const { services, api, close } = await openTestServices();
  const { events, stop } = recordEvents(services.bus);
  // as start.ts does; and a shared Redis may hold pages cached by another test database
  const stopInvalidation = invalidateOnEvents(services);
  await invalidate(services.kv, ["alerts"]);
  const analyst = api("analyst");
  const manager = api("manager");
  const viewer = api("viewer");
  try {
    await t.step("create raises an alert and publishes alert.raised", async () => {
      const { alert, created } = await analyst.alerts.create({ severity: "high", title: "Checkout errors" });
      assert.equal(created, true);
      assert.equal(alert.status, "open");
      assert.equal(alert.type, "custom");
      await until(
        () => events.some((e) => e.type === "alert.raised" && (e.data as { id: number }).id === alert.id),
        "alert.raised",
      );
    });

    await t.step("the same dedupe key updates the open alert instead of adding one", async () => {
      const first = await analyst.alerts.create({
        severity: "low",
        title: "Low stock: cable",
        dedupeKey: "stock-count:warehouse:1",
      });
      const second = await analyst.alerts.create({
        severity: "critical",
        title: "Low stock: cable (0 left)",
        dedupeKey: "stock-count:warehouse:1",
      });
      assert.equal(second.created, false);
      assert.equal(second.alert.id, first.alert.id);
      assert.equal(second.alert.severity, "critical");
      assert.equal(second.alert.title, "Low stock: cable (0 left)");
      assert.equal(second.alert.metadata.occurrences, 2);
    });

    await t.step("raiseAlert() inside another domain's transaction follows the same rule", async () => {
      const results = await services.db.sql.begin(async (tx) => [
        await raiseAlert(tx, {
          type: "fraud_review",
          severity: "medium",
          title: "Review #7",
          dedupeKey: "fraud_review:7",
        }),
        await raiseAlert(tx, {
          type: "fraud_review",
          severity: "low",
          title: "Review #7",
          dedupeKey: "fraud_review:7",
        }),
      ]);
      assert.deepEqual(results.map((r) => r.created), [true, false]);
      assert.equal(results[1].alert.severity, "medium");
    });

    await t.step("list filters by severity, type and status and pages by keyset", async () => {
      const all = await viewer.alerts.list({});
      assert.equal(all.items.length, 3);
      assert.deepEqual((await viewer.alerts.list({ severity: "critical" })).items.map((a) => a.title), [
        "Low stock: cable (0 left)",
      ]);
      assert.equal((await viewer.alerts.list({ type: "fraud_review" })).items.length, 1);
      const page1 = await viewer.alerts.list({ limit: 2 });
      assert.equal(page1.items.length, 2);
      assert.ok(page1.nextCursor);
      const page2 = await viewer.alerts.list({ limit: 2, cursor: page1.nextCursor });
      assert.equal(page2.items.length, 1);
      assert.equal(page2.nextCursor, null);
      const ids = [...page1.items, ...page2.items].map((a) => a.id);
      assert.deepEqual(ids, all.items.map((a) => a.id));
      await assert.rejects(() => viewer.alerts.list({ cursor: "not-a-cursor" }), code("BAD_REQUEST"));
    });

    const [target] = (await viewer.alerts.list({ type: "custom" })).items;

    await t.step("acknowledge and snooze change the status; an expired snooze shows as open", async () => {
      const acknowledged = await analyst.alerts.acknowledge({ id: target.id });
      assert.equal(acknowledged.status, "acknowledged");
      assert.ok(acknowledged.acknowledgedAt);
      const snoozed = await analyst.alerts.snooze({ id: target.id, minutes: 30 });
      assert.equal(snoozed.status, "snoozed");
      assert.equal((await viewer.alerts.list({ status: "snoozed" })).items.length, 1);
      await services.db
        .sql`update alerts set snoozed_until = now() - interval '1 minute' where id = ${target.id}`;
      assert.equal((await viewer.alerts.get({ id: target.id })).status, "open");
      assert.ok((await viewer.alerts.list({ status: "open" })).items.some((a) => a.id === target.id));
    });

    await t.step("resolve needs a manager, records the note, and cannot happen twice", async () => {
      await assert.rejects(() => analyst.alerts.resolve({ id: target.id, note: "x" }), code("FORBIDDEN"));
      const resolved = await manager.alerts.resolve({ id: target.id, note: "Restarted the payment gateway" });
      assert.equal(resolved.status, "resolved");
      assert.equal(resolved.resolutionNote, "Restarted the payment gateway");
      assert.ok(resolved.resolvedAt);
      await assert.rejects(() => manager.alerts.resolve({ id: target.id, note: "again" }), code("CONFLICT"));
      await assert.rejects(() => analyst.alerts.acknowledge({ id: target.id }), code("CONFLICT"));
    });

    await t.step("a resolved alert frees its dedupe key", async () => {
      const first = await analyst.alerts.create({ severity: "info", title: "Sync lag", dedupeKey: "sync" });
      await manager.alerts.resolve({ id: first.alert.id, note: "ok" });
      const again = await analyst.alerts.create({ severity: "info", title: "Sync lag", dedupeKey: "sync" });
      assert.equal(again.created, true);
      assert.notEqual(again.alert.id, first.alert.id);
    });

    await t.step("delete needs a manager and answers NOT_FOUND afterwards", async () => {
      await assert.rejects(() => analyst.alerts.delete({ id: target.id }), code("FORBIDDEN"));
      assert.deepEqual(await manager.alerts.delete({ id: target.id }), { id: target.id, deleted: true });
      await assert.rejects(() => viewer.alerts.get({ id: target.id }), code("NOT_FOUND"));
      await assert.rejects(() => manager.alerts.delete({ id: target.id }), code("NOT_FOUND"));
    });

    await t.step("viewers cannot create alerts and bad input is a BAD_REQUEST", async () => {
      await assert.rejects(() => viewer.alerts.create({ severity: "low", title: "x" }), code("FORBIDDEN"));
      await assert.rejects(
        // deliberately invalid severity
        () => analyst.alerts.create({ severity: "urgent" as "low", title: "x" }),
        code("BAD_REQUEST"),
      );
    });

    await t.step("rules CRUD: create, edit, list, reject a duplicate name, delete", async () => {
      const rule = await manager.alerts.rules.create({
        name: "Suspicious burst",
        metric: "suspicious_transactions",
        comparator: ">=",
        threshold: 5,
        windowMinutes: 10,
        severity: "high",
        webhookSecret: "0123456789abcdef0123",
      });
      assert.equal(rule.state, "ok");
      assert.equal(rule.hasWebhookSecret, true);
      assert.equal(rule.cooldownSeconds, 900);
      assert.equal("webhookSecret" in rule, false);
      await assert.rejects(
        () =>
          manager.alerts.rules.create({
            name: "Suspicious burst",
            metric: "orders",
            comparator: "<",
            threshold: 1,
            windowMinutes: 60,
            severity: "low",
          }),
        code("CONFLICT"),
      );
      const edited = await manager.alerts.rules.update({ id: rule.id, threshold: 8, enabled: false });
      assert.equal(edited.threshold, 8);
      assert.equal(edited.enabled, false);
      assert.deepEqual((await viewer.alerts.rules.list()).items.map((r) => r.id), [rule.id]);
      await assert.rejects(
        () => analyst.alerts.rules.update({ id: rule.id, threshold: 1 }),
        code("FORBIDDEN"),
      );
      await manager.alerts.rules.delete({ id: rule.id });
      await assert.rejects(() => viewer.alerts.rules.get({ id: rule.id }), code("NOT_FOUND"));
    });
  } finally {
    stop();
    stopInvalidation();
    await close();
  }
});
