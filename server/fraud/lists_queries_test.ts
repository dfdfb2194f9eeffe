import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";
import { insertFraudCustomer, insertFraudProduct } from "./fraud_fixtures.ts";

const yearAgo = () => new Date(Date.now() - 365 * 86_400_000);

Deno.test("an order of a block-listed customer is blocked and takes no stock", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const customerId = await insertFraudCustomer(sql, yearAgo());
    const productId = await insertFraudProduct(sql, { category: "Accessories", priceCents: 2_000, stock: 5 });
    const order = { customerId, productId, quantity: 1, paymentMethod: "card" as const };
    assert.equal((await t.api("manager").transactions.create(order)).fraudDecision, "allow");

    const listed = await t.api("analyst", { username: "ana" }).fraud.lists.put({
      customerId,
      list: "block",
      reason: "Chargebacks",
    });
    assert.equal(listed.list, "block");
    assert.equal(listed.addedBy, "ana");
    const blocked = await t.api("manager").transactions.create(order);
    assert.equal(blocked.fraudDecision, "block");
    assert.equal(blocked.status, "blocked");
    assert.ok(blocked.fraudReasons.some((reason) => reason.code === "block_list"));
    const [{ stock_quantity }] = await sql<[{ stock_quantity: number }]>`
      select stock_quantity from products where id = ${productId}`;
    assert.equal(stock_quantity, 4, "only the first, allowed order took stock");

    const removed = await t.api("analyst").fraud.lists.remove({ customerId });
    assert.equal(removed.removedFrom, "block");
    // Off the list the customer is no longer blocked (three quick orders and the blocked attempt still
    // make it worth a review)
    const after = await t.api("manager").transactions.create(order);
    assert.notEqual(after.fraudDecision, "block");
    assert.ok(!after.fraudReasons.some((reason) => reason.code === "block_list"));
    await assert.rejects(t.api("analyst").fraud.lists.remove({ customerId }), { code: "NOT_FOUND" });

    const audit = await sql<{ action: string; entity_id: string; actor_name: string }[]>`
      select action, entity_id, actor_name from audit_log where entity_type = 'customer' order by id`;
    assert.deepEqual(audit.map((a) => a.action), ["fraud_list.block", "fraud_list.removed"]);
    assert.equal(audit[0].entity_id, String(customerId));
    assert.equal(audit[0].actor_name, "ana");
  } finally {
    await t.close();
  }
});

Deno.test("an allow-listed customer is never blocked automatically, only sent to review", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const productId = await insertFraudProduct(sql, { category: "Graphics Cards", priceCents: 300_000 });
    // Strict rules under which a brand-new customer's $3,000 order is blocked
    await t.api("admin").fraud.rules.save({
      rules: { ...DEFAULT_FRAUD_RULES, thresholds: { review: 10, block: 20 } },
      note: "strict",
      activate: true,
    });
    const order = (customerId: number) => ({
      customerId,
      productId,
      quantity: 1,
      paymentMethod: "card" as const,
    });
    const stranger = await insertFraudCustomer(sql, new Date(Date.now() - 3_600_000));
    assert.equal((await t.api("manager").transactions.create(order(stranger))).fraudDecision, "block");

    const trusted = await insertFraudCustomer(sql, new Date(Date.now() - 3_600_000));
    await t.api("analyst").fraud.lists.put({ customerId: trusted, list: "allow", reason: "Known business" });
    const reviewed = await t.api("manager").transactions.create(order(trusted));
    assert.equal(reviewed.fraudDecision, "review");
    assert.equal(reviewed.status, "completed");

    // Moving the customer to the block list replaces the allow entry: now the order is blocked
    await t.api("analyst").fraud.lists.put({ customerId: trusted, list: "block" });
    const lists = await t.api("analyst").fraud.lists.list({});
    assert.deepEqual(lists.map((entry) => [entry.customerId, entry.list]), [[trusted, "block"]]);
    assert.equal((await t.api("manager").transactions.create(order(trusted))).fraudDecision, "block");

    await assert.rejects(
      t.api("viewer").fraud.lists.put({ customerId: trusted, list: "allow" }),
      { code: "FORBIDDEN" },
    );
    await assert.rejects(
      t.api("analyst").fraud.lists.put({ customerId: 999_999, list: "allow" }),
      { code: "NOT_FOUND" },
    );
  } finally {
    await t.close();
  }
});

Deno.test("a customer goes on a list by the code staff see, or by id as before; an unknown code is named", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const byCode = await insertFraudCustomer(sql, yearAgo());
    const byId = await insertFraudCustomer(sql, yearAgo());
    const [{ code }] = await sql<[{ code: string }]>`select code from customers where id = ${byCode}`;

    const listed = await t.api("analyst").fraud.lists.put({
      customerId: code,
      list: "block",
      reason: "Chargebacks",
    });
    assert.deepEqual([listed.customerId, listed.customerCode, listed.list], [byCode, code, "block"]);
    assert.equal(
      (await t.api("analyst").fraud.lists.put({ customerId: byId, list: "allow" })).customerId,
      byId,
    );
    // digits are an id, as REST paths always sent them
    assert.equal(
      (await t.api("analyst").fraud.lists.put({ customerId: String(byId), list: "block" })).list,
      "block",
    );

    await assert.rejects(
      t.api("analyst").fraud.lists.put({ customerId: "CUS-NOBODY", list: "block" }),
      { code: "NOT_FOUND", message: 'No customer with code "CUS-NOBODY"' },
    );
    await assert.rejects(t.api("analyst").fraud.lists.put({ customerId: 0, list: "block" }), {
      code: "BAD_REQUEST",
    });
    assert.deepEqual((await t.api("analyst").fraud.lists.remove({ customerId: code })).removedFrom, "block");
    await assert.rejects(
      t.api("analyst").fraud.lists.remove({ customerId: code }),
      { code: "NOT_FOUND", message: `Customer ${code} is on neither list` },
    );
    const lists = await t.api("analyst").fraud.lists.list({});
    assert.deepEqual(lists.map((entry) => entry.customerId), [byId]);
  } finally {
    await t.close();
  }
});

Deno.test("typed digits are a customer's code or id; one's code and another's id is refused, not guessed", async () => {
  const t = await openTestServices();
  try {
    const sql = t.services.db.sql;
    const numbered = await insertFraudCustomer(sql, yearAgo());
    const other = await insertFraudCustomer(sql, yearAgo());
    // an imported shop's own numeric code, far from any id
    await sql`update customers set code = '98765432' where id = ${numbered}`;
    const byCode = await t.api("analyst").fraud.lists.put({ customerId: "98765432", list: "block" });
    assert.deepEqual([byCode.customerId, byCode.customerCode], [numbered, "98765432"]);

    // a numeric code that is also another customer's id: asking beats blocking the wrong one
    await sql`update customers set code = ${String(other)} where id = ${numbered}`;
    const [{ code: otherCode }] = await sql<
      [{ code: string }]
    >`select code from customers where id = ${other}`;
    await assert.rejects(
      t.api("analyst").fraud.lists.put({ customerId: String(other), list: "block" }),
      {
        code: "CONFLICT",
        message: `${other} is the code of customer ${other} and the id of customer ${otherCode}: ` +
          "give the code of the one you mean",
      },
    );
    // a number is an id, as API clients always sent it
    assert.equal(
      (await t.api("analyst").fraud.lists.put({ customerId: other, list: "allow" })).customerId,
      other,
    );
    await assert.rejects(t.api("analyst").fraud.lists.put({ customerId: "55555555", list: "block" }), {
      code: "NOT_FOUND",
      message: "No customer with code or id 55555555",
    });
  } finally {
    await t.close();
  }
});
