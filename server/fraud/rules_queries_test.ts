import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";
import { insertFraudCustomer, insertFraudProduct, onlyRules } from "./fraud_fixtures.ts";

Deno.test("fraud.rules.get answers the shipped defaults in the store's time zone until the first save", async () => {
  const t = await openTestServices();
  try {
    t.services.config.STORE_TZ = "Europe/London";
    const active = await t.api("analyst").fraud.rules.get({});
    assert.equal(active.version, 1);
    assert.equal(active.stored, false);
    assert.equal(active.rules.timeZone, "Europe/London");
    assert.deepEqual(active.rules.highResaleUnits.categories, ["phones", "graphics_cards", "gift_cards"]);
    const versions = await t.api("analyst").fraud.rules.versions({ limit: 10 });
    assert.deepEqual(versions.map((v) => [v.version, v.isActive, v.stored]), [[1, true, false]]);
  } finally {
    await t.close();
  }
});

Deno.test("fraud.rules.save stores each save as a new version and activate switches the one in force", async () => {
  const t = await openTestServices();
  try {
    const admin = t.api("admin", { username: "ada" });
    const strict = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 20, block: 40 } };
    const saved = await admin.fraud.rules.save({
      rules: strict,
      note: "Stricter for the sale",
      activate: false,
    });
    assert.equal(saved.version, 2, "the shipped defaults became version 1");
    assert.equal(saved.isActive, false);
    assert.equal(saved.createdBy, "ada");
    assert.equal(saved.note, "Stricter for the sale");
    assert.equal((await admin.fraud.rules.get({})).version, 1, "saving without activate changes nothing");

    const third = await admin.fraud.rules.save({
      rules: { ...strict, thresholds: { review: 30, block: 60 } },
      note: "Less strict",
      activate: true,
    });
    assert.equal(third.version, 3);
    assert.deepEqual((await admin.fraud.rules.get({})).rules.thresholds, { review: 30, block: 60 });

    const back = await admin.fraud.rules.activate({ version: 2 });
    assert.equal(back.isActive, true);
    assert.equal(back.activatedBy, "ada");
    const versions = await admin.fraud.rules.versions({ limit: 10 });
    assert.deepEqual(versions.map((v) => [v.version, v.isActive]), [[3, false], [2, true], [1, false]]);
    assert.deepEqual((await admin.fraud.rules.get({ version: 3 })).rules.thresholds, {
      review: 30,
      block: 60,
    });

    const audit = await t.services.db.sql<{ action: string; entity_id: string }[]>`
      select action, entity_id from audit_log where entity_type = 'fraud_rules' order by id`;
    assert.deepEqual(audit.map((a) => `${a.action}:${a.entity_id}`), [
      "fraud_rules.saved:2",
      "fraud_rules.saved:3",
      "fraud_rules.activated:2",
    ]);
    await assert.rejects(admin.fraud.rules.activate({ version: 9 }), { code: "NOT_FOUND" });
  } finally {
    await t.close();
  }
});

Deno.test("fraud.rules.save is for admins and rejects inconsistent rules without writing", async () => {
  const t = await openTestServices();
  try {
    await assert.rejects(
      t.api("manager").fraud.rules.save({ rules: DEFAULT_FRAUD_RULES, note: "x", activate: true }),
      { code: "FORBIDDEN" },
    );
    await assert.rejects(
      t.api("admin").fraud.rules.save({
        rules: { ...DEFAULT_FRAUD_RULES, thresholds: { review: 90, block: 80 } },
        note: "inverted",
        activate: true,
      }),
      { code: "BAD_REQUEST" },
    );
    const [{ count }] = await t.services.db.sql<[{ count: number }]>`
      select count(*)::int as count from fraud_rule_versions`;
    assert.equal(count, 0);
  } finally {
    await t.close();
  }
});

Deno.test("transactions.create scores with the active version as soon as it is activated", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const admin = t.api("admin");
    const manager = t.api("manager");
    const productId = await insertFraudProduct(sql, { category: "Graphics Cards", priceCents: 300_000 });
    const order = async () =>
      await manager.transactions.create({
        customerId: await insertFraudCustomer(sql, new Date(Date.now() - 3_600_000)),
        productId,
        quantity: 1,
        paymentMethod: "card",
      });

    // A new customer's $3,000 order: the new-customer rule alone, weight 1, scores it 100
    const blocking = onlyRules({ newCustomerHighValue: 1 });
    const v2 = await admin.fraud.rules.save({ rules: blocking, note: "new customers only", activate: true });
    assert.equal((await order()).fraudDecision, "block");

    await admin.fraud.rules.activate({ version: 1 });
    const allowed = await order();
    assert.notEqual(allowed.fraudDecision, "block", "the shipped defaults only review this order");
    assert.equal(allowed.status, "completed");

    await admin.fraud.rules.activate({ version: v2.version });
    assert.equal((await order()).status, "blocked");
  } finally {
    await t.close();
  }
});
