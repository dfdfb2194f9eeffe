import assert from "node:assert/strict";
import { insertRoleUsers, signInOverHttp } from "../../auth/_auth_fixtures.ts";
import { startTestApp } from "../../testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../transactions/transactions_fixtures.ts";
import { forgetOperatingPoint } from "./operating_point_queries.ts";
import { dayStartMs } from "./operating_point.ts";
import { LINK_RULE_SCORE, LINK_RULES } from "./combine.ts";
import { scoreHistoryWithPrior } from "./prior_history.ts";
import { DEFAULT_FRAUD_RULES } from "../rules.ts";

const DAY = 86_400_000;
const CARD_BIT = 1 << LINK_RULES.findIndex((rule) => rule.feature === "card_accounts");

Deno.test("link rules relative to the shop: stored per sale, counted per day, muted where they are the norm", async (t) => {
  const f = { owner: 0, colleague: 0, another: 0, productId: 0 };
  const app = await startTestApp({
    prepare: async (services) => {
      await insertRoleUsers(services);
      const sql = services.db.sql;
      f.owner = await insertCustomer(sql, { name: "Card Owner" });
      f.colleague = await insertCustomer(sql, { name: "Card Colleague" });
      f.another = await insertCustomer(sql, { name: "Another Colleague" });
      f.productId = await insertProduct(sql, { name: "Toner", priceCents: 2_500, stock: 1_000 });
    },
  });
  const sql = app.services.db.sql;
  const admin = await signInOverHttp(app, "admin");
  const today = dayStartMs(Date.now());
  /** A sale on the company card (the same BIN and last four for every account). */
  const buyOnCompanyCard = async (customerId: number) => {
    const response = await app.fetch("/api/v1/transactions", {
      method: "POST",
      headers: admin.headers({ "content-type": "application/json" }),
      body: JSON.stringify({
        customerId,
        productId: f.productId,
        paymentMethod: "card",
        cardBin: "41111111",
        cardLast4: "4242",
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const body = await response.json();
    const [row] = await sql<[{ fraud_link_flags: number | null }]>`
      select fraud_link_flags from transactions where id = ${body.id}`;
    return { ...body, linkFlags: row.fraud_link_flags } as {
      fraudScore: number;
      fraudReasons: { code: string; contribution: number }[];
      linkFlags: number | null;
    };
  };
  const linkRules = async () => {
    const response = await app.fetch("/api/v1/fraud/models", { headers: { cookie: admin.cookie } });
    assert.equal(response.status, 200);
    return (await response.json()).inForce.operatingPoint?.linkRules as
      | { feature: string; share: number; counts: boolean }[]
      | undefined;
  };
  /** 300 prior-scored sales over the 3 days before today, `shared` of them with a card another account used. */
  const insertWindow = async (shared: number, tag: string, sharedScore = 10) => {
    for (let i = 0; i < 300; i++) {
      await sql`insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents,
          item_count, created_at, fraud_prior_score, fraud_link_flags)
        values (${`LINK-${tag}-${i}`}, ${f.owner}, 'card', 2500, 2500, 1,
          ${new Date(today - (1 + (i % 3)) * DAY + i * 1000)}, ${i < shared ? sharedScore : 10},
          ${i < shared ? CARD_BIT : 0})`;
    }
    await sql`delete from fraud_operating_points`;
    forgetOperatingPoint(sql);
  };
  try {
    await t.step("a sale keeps which link rules fired; without a window each one counts", async () => {
      const first = await buyOnCompanyCard(f.owner);
      assert.equal(first.linkFlags, 0, "no other account used the card yet");
      const second = await buyOnCompanyCard(f.colleague);
      assert.equal(second.linkFlags, CARD_BIT);
      assert.equal(second.fraudScore, LINK_RULE_SCORE);
      assert.ok(second.fraudReasons.some((reason) => reason.code === "card_accounts"));
      assert.equal(await linkRules(), undefined, "no operating point yet");
    });

    await t.step("a card shared on 5% of the shop's sales stays a fraud signal", async () => {
      await insertWindow(15, "rare");
      const rules = (await linkRules())!;
      assert.deepEqual(rules.map((rule) => rule.feature), LINK_RULES.map((rule) => rule.feature));
      assert.deepEqual(rules[0], { feature: "card_accounts", share: 0.05, counts: true });
      assert.equal((await buyOnCompanyCard(f.colleague)).fraudScore, LINK_RULE_SCORE);
    });

    await t.step("shared on 10% by sales the prior itself finds risky, it stays a fraud signal", async () => {
      await sql`delete from transactions where order_ref like 'LINK-rare-%'`;
      await insertWindow(30, "risky", 80);
      assert.deepEqual((await linkRules())![0], { feature: "card_accounts", share: 0.1, counts: true });
      await sql`delete from transactions where order_ref like 'LINK-risky-%'`;
    });

    await t.step(
      "shared on 10% by sales the prior finds ordinary, it is the shop's norm: no longer sent to review",
      async () => {
        await insertWindow(30, "norm");
        const rules = (await linkRules())!;
        assert.deepEqual(rules[0], { feature: "card_accounts", share: 0.1, counts: false });
        assert.ok(rules.slice(1).every((rule) => rule.counts));
        const [stored] = await sql<
          [{ muted_links: string[] }]
        >`select muted_links from fraud_operating_points`;
        assert.deepEqual(stored.muted_links, ["card_accounts"]);
        const sale = await buyOnCompanyCard(f.another);
        assert.ok(sale.fraudScore < DEFAULT_FRAUD_RULES.thresholds.review, JSON.stringify(sale.fraudReasons));
        // the prior may still name the shared card among its own features, never as the 75 of the rule
        const card = sale.fraudReasons.find((reason) => reason.code === "card_accounts");
        assert.ok(!card || card.contribution < LINK_RULE_SCORE, JSON.stringify(card));
        assert.equal(sale.linkFlags, CARD_BIT, "the sale still records that the rule fired");
      },
    );

    await t.step("the Fraud page says which link rule does not count here and why", async () => {
      const html = await (await app.fetch("/fraud", { headers: { cookie: admin.cookie } })).text();
      const part = html.slice(html.indexOf('data-testid="fraud-link-rules"'));
      assert.ok(part.length < html.length, "the paragraph is on the page");
      assert.match(part.slice(0, 600), /Not counted in this shop:.*other accounts on the card \(10(\.0)?%/s);
    });

    await t.step("a point stored before the flags were counted is computed again when read", async () => {
      await sql`update fraud_operating_points set link_shares = null, muted_links = '{}'`;
      forgetOperatingPoint(sql);
      assert.equal((await linkRules())![0].counts, false);
      const [stored] = await sql<[{ link_shares: number[] }]>`select link_shares from fraud_operating_points`;
      assert.equal(stored.link_shares.length, LINK_RULES.length);
    });

    await t.step(
      "history without flags gets them from its time-ordered replay, stored values stay",
      async () => {
        await sql`update transactions set fraud_link_flags = null where order_ref not like 'LINK-%'`;
        await sql`update transactions set fraud_link_flags = 7 where order_ref = 'LINK-norm-0'`;
        const result = await scoreHistoryWithPrior(sql, DEFAULT_FRAUD_RULES);
        assert.deepEqual(result, { missing: 4, scored: 4, atColdStart: true });
        const rows = await sql<{ customer_id: string; fraud_link_flags: number | null }[]>`
        select customer_id, fraud_link_flags from transactions where order_ref not like 'LINK-%' order by id`;
        assert.deepEqual(
          rows.map((row) => row.fraud_link_flags),
          [0, CARD_BIT, CARD_BIT, CARD_BIT],
          "the first sale on the card links nothing, the colleague's link the owner's",
        );
        const [kept] = await sql`select fraud_link_flags from transactions where order_ref = 'LINK-norm-0'`;
        assert.equal(kept.fraud_link_flags, 7);
      },
    );
  } finally {
    await app.stop();
  }
});
