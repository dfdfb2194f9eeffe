import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";
import {
  insertFraudCustomer,
  insertFraudProduct,
  insertStoredTransaction,
  onlyRules,
} from "./fraud_fixtures.ts";

const at = (iso: string) => new Date(iso);

/** A test database, an admin's client, and a $3,000 graphics card to sell. */
async function openGpuShop() {
  const t = await openTestServices();
  const sql = t.services.db.sql;
  const gpu = await insertFraudProduct(sql, { category: "Graphics Cards", priceCents: 300_000 });
  return { t, sql, admin: t.api("admin"), gpu };
}

Deno.test("fraud.rules.backtest compares precision, recall and reviews of the active rules and a candidate", async () => {
  const { t, sql, admin, gpu } = await openGpuShop();
  try {
    const cable = await insertFraudProduct(sql, { category: "Accessories", priceCents: 2_000 });
    const old = at("2024-06-01T12:00:00Z");
    const [newA, newB] = [
      await insertFraudCustomer(sql, at("2025-01-10T11:00:00Z")),
      await insertFraudCustomer(sql, at("2025-01-11T11:00:00Z")),
    ];
    const [oldA, oldB, oldC] = [
      await insertFraudCustomer(sql, old),
      await insertFraudCustomer(sql, old),
      await insertFraudCustomer(sql, old),
    ];
    // Two new customers' $3,000 orders (one fraud, one legit), an old customer's $3,000 takeover order
    // (fraud), an old customer's $20 order (legit) and one unlabeled $20 order.
    await insertStoredTransaction(sql, {
      customerId: newA,
      productId: gpu,
      unitPriceCents: 300_000,
      createdAt: at("2025-01-10T12:00:00Z"),
      label: "fraud",
    });
    await insertStoredTransaction(sql, {
      customerId: newB,
      productId: gpu,
      unitPriceCents: 300_000,
      createdAt: at("2025-01-11T12:00:00Z"),
      label: "legit",
    });
    const o1 = await insertStoredTransaction(sql, {
      customerId: oldA,
      productId: gpu,
      unitPriceCents: 300_000,
      createdAt: at("2025-01-12T12:00:00Z"),
      label: "fraud",
    });
    await insertStoredTransaction(sql, {
      customerId: oldB,
      productId: cable,
      unitPriceCents: 2_000,
      createdAt: at("2025-01-13T12:00:00Z"),
      label: "legit",
    });
    await insertStoredTransaction(sql, {
      customerId: oldC,
      productId: cable,
      unitPriceCents: 2_000,
      createdAt: at("2025-01-12T18:00:00Z"),
    });

    // Active: only "new customer, high value" at weight 1 -> both new customers' orders score 100 (block)
    await admin.fraud.rules.save({
      rules: onlyRules({ newCustomerHighValue: 1 }),
      note: "new customers only",
      activate: true,
    });
    // Candidate: weight 0.6 (score 60: review) and "new" means up to a year, so the takeover order fires too
    const candidate = onlyRules({ newCustomerHighValue: 0.6 }, {
      newCustomerHighValue: { ...DEFAULT_FRAUD_RULES.newCustomerHighValue, maxAgeDays: 365 },
    });
    const result = await admin.fraud.rules.backtest({ rules: candidate });

    assert.equal(result.activeVersion, 2);
    assert.equal(result.labeled, 4);
    assert.equal(result.fraud, 2);
    assert.equal(result.replayed, 5);
    // Active flags n1 (fraud) and the legit new customer: precision 1/2, recall 1/2; both blocked
    assert.deepEqual(
      pick(result.active),
      {
        flagged: 2,
        truePositives: 1,
        falsePositives: 1,
        falseNegatives: 1,
        precision: 0.5,
        recall: 0.5,
        reviews: 0,
        blocks: 2,
      },
    );
    // Candidate flags the takeover as well: precision 2/3, recall 1; three reviews, no blocks
    assert.deepEqual(
      pick(result.candidate),
      {
        flagged: 3,
        truePositives: 2,
        falsePositives: 1,
        falseNegatives: 0,
        precision: 2 / 3,
        recall: 1,
        reviews: 3,
        blocks: 0,
      },
    );
    assert.deepEqual(result.changes, [{ transactionId: o1, label: "fraud", before: 0, after: 60 }]);
    // no sale here was scored by the prior: nothing to measure with it
    assert.equal(result.withPrior, null);

    // A backtest writes nothing: the stored scores and the active version are unchanged
    const [{ scored }] = await sql<[{ scored: number }]>`
      select count(*)::int as scored from transactions where fraud_score > 0`;
    assert.equal(scored, 0);
    assert.equal((await admin.fraud.rules.get({})).version, 2);
    await assert.rejects(t.api("analyst").fraud.rules.backtest({ rules: candidate }), { code: "FORBIDDEN" });
  } finally {
    await t.close();
  }
});

Deno.test("fraud.rules.backtest also measures each rule set with the prior, as a cold-start sale is scored", async () => {
  const { t, sql, admin, gpu } = await openGpuShop();
  try {
    const newA = await insertFraudCustomer(sql, at("2025-01-10T11:00:00Z"));
    const newB = await insertFraudCustomer(sql, at("2025-01-11T11:00:00Z"));
    const [oldA, oldB] = [
      await insertFraudCustomer(sql, at("2024-06-01T12:00:00Z")),
      await insertFraudCustomer(sql, at("2024-06-01T12:00:00Z")),
    ];
    const sale = async (
      customerId: number,
      iso: string,
      label: "fraud" | "legit",
      prior: { score: number; flags: number } | null,
    ) => {
      const id = await insertStoredTransaction(sql, {
        customerId,
        productId: gpu,
        unitPriceCents: 300_000,
        createdAt: at(iso),
        label,
      });
      if (prior) {
        await sql`update transactions set fraud_prior_score = ${prior.score}, fraud_link_flags = ${prior.flags}
          where id = ${id}`;
      }
    };
    // a new account's fraud the prior scores 80; a new account's honest order it scores 10; an old account's
    // fraud it scores 20 but on a card other accounts used (link rule bit 0); an honest sale it never scored
    await sale(newA, "2025-01-10T12:00:00Z", "fraud", { score: 80, flags: 0 });
    await sale(newB, "2025-01-11T12:00:00Z", "legit", { score: 10, flags: 0 });
    await sale(oldA, "2025-01-12T12:00:00Z", "fraud", { score: 20, flags: 1 });
    await sale(oldB, "2025-01-13T12:00:00Z", "legit", null);

    // Active: "new customer, high value" at weight 1 blocks both new accounts' orders (a block decides before
    // the prior); the draft at 0.6 only sends them to review, which at cold start the prior then decides.
    await admin.fraud.rules.save({
      rules: onlyRules({ newCustomerHighValue: 1 }),
      note: "new",
      activate: true,
    });
    const result = await admin.fraud.rules.backtest({ rules: onlyRules({ newCustomerHighValue: 0.6 }) });

    assert.equal(result.labeled, 4);
    // rules alone: both new accounts' orders flagged, the old account's fraud missed
    assert.equal(result.active.precision, 0.5);
    assert.equal(result.active.recall, 0.5);
    assert.equal(result.candidate.precision, 0.5);
    assert.equal(result.candidate.recall, 0.5);
    // with the prior: over the three sales it scored (fewer than an operating point needs, so its own scores)
    assert.ok(result.withPrior);
    assert.equal(result.withPrior.labeled, 3);
    assert.equal(result.withPrior.fraud, 2);
    // active: the block decides both new accounts' orders, the link rule lifts the old account's fraud
    assert.deepEqual(
      pick(result.withPrior.active),
      fromCounts({ tp: 2, fp: 1, fn: 0, reviews: 1, blocks: 2 }),
    );
    // draft: the prior decides the new accounts' orders (80 and 10), the link rule the third
    assert.deepEqual(
      pick(result.withPrior.candidate),
      fromCounts({ tp: 2, fp: 0, fn: 0, reviews: 2, blocks: 0 }),
    );
  } finally {
    await t.close();
  }
});

Deno.test("fraud.rules.backtest with the prior reads each day's point at today's review ceiling, the labels' while followed", async () => {
  const { t, sql, admin } = await openGpuShop();
  try {
    const cable = await insertFraudProduct(sql, { category: "Accessories", priceCents: 2_000 });
    const customer = await insertFraudCustomer(sql, at("2020-01-01T00:00:00Z"));
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const sale = async (dayOffset: number, i: number, prior: number, label: "fraud" | "legit") => {
      const id = await insertStoredTransaction(sql, {
        customerId: customer,
        productId: cable,
        unitPriceCents: 2_000,
        createdAt: new Date(today + dayOffset * 86_400_000 + i * 60_000),
        label,
      });
      await sql`update transactions set fraud_prior_score = ${prior}, fraud_link_flags = 0,
        labeled_at = created_at where id = ${id}`;
    };
    // 300 sales on the three days before yesterday, a tenth of them fraud the prior scores 80
    for (const day of [-4, -3, -2]) {
      for (let i = 0; i < 100; i++) {
        await sale(day, i, i % 10 === 0 ? 80 : 10, i % 10 === 0 ? "fraud" : "legit");
      }
    }
    // yesterday: its point comes from those 300; 10 more such fraud
    for (let i = 0; i < 20; i++) await sale(-1, i, i < 10 ? 80 : 10, i < 10 ? "fraud" : "legit");
    const draft = onlyRules({ newCustomerHighValue: 1 });

    // (the draft, "new customer, high value" alone, never fires on this old customer: the prior decides)
    // The shop follows its labels (the default): 40 of 320 sales confirmed fraud, a 12.5% ceiling, under which
    // the threshold of the days with a point (the two last: 200 and 300 sales before them) stays at 50
    const following = (await admin.fraud.rules.backtest({ rules: draft })).withPrior;
    assert.ok(following);
    assert.equal(following.labeled, 320);
    assert.equal(following.candidate.recall, 1);
    assert.equal(following.candidate.precision, 1);
    // A 5% ceiling of the admin's own: on those two days the threshold rises above 80 and their 20 fraud
    // are missed
    await admin.fraud.settings.set({ coldStartMaxReviewRate: 0.05 });
    const own = (await admin.fraud.rules.backtest({ rules: draft })).withPrior;
    assert.ok(own);
    assert.equal(own.candidate.recall, 20 / 40);
    assert.equal(own.candidate.precision, 1);
  } finally {
    await t.close();
  }
});

Deno.test("fraud.rules.backtest on a database without labels reports zero labeled transactions", async () => {
  const t = await openTestServices();
  try {
    const result = await t.api("admin").fraud.rules.backtest({ rules: DEFAULT_FRAUD_RULES });
    assert.equal(result.labeled, 0);
    assert.equal(result.replayed, 0);
    assert.equal(result.from, null);
    assert.equal(result.candidate.recall, 0);
  } finally {
    await t.close();
  }
});

/** The figures a rule set has with these counts of labeled sales flagged and missed. */
function fromCounts(c: { tp: number; fp: number; fn: number; reviews: number; blocks: number }) {
  return {
    flagged: c.tp + c.fp,
    truePositives: c.tp,
    falsePositives: c.fp,
    falseNegatives: c.fn,
    precision: c.tp / (c.tp + c.fp),
    recall: c.tp / (c.tp + c.fn),
    reviews: c.reviews,
    blocks: c.blocks,
  };
}

function pick(figures: {
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  reviews: number;
  blocks: number;
}) {
  const { flagged, truePositives, falsePositives, falseNegatives, precision, recall, reviews, blocks } =
    figures;
  return { flagged, truePositives, falsePositives, falseNegatives, precision, recall, reviews, blocks };
}
