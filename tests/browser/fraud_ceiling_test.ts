import assert from "node:assert/strict";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { forgetLabelCounts } from "../../server/fraud/model/label_ceiling_queries.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

const DAY = 86_400_000;

browserTest(
  "the Fraud page shows the cold-start review ceiling; an admin raises it and the operating point follows at once",
  () =>
    startTestApp({
      prepare: async (services) => {
        await insertRoleUsers(services);
      },
    }),
  async (app, browser, t) => {
    const sql = app.services.db.sql;
    const panel = '[data-island="FraudModelPanel"]';
    const ceiling = '[data-testid="fraud-review-ceiling"]';
    const point = '[data-testid="fraud-operating-point"]';
    // 500 sales the prior scored on the two days before today, 20% of them high (a shop with much fraud)
    const day = Math.floor(Date.now() / DAY) * DAY;
    await sql`insert into customers (code, name) values ('CEIL-1', 'Ceiling Customer')`;
    await sql`
      insert into transactions (order_ref, customer_id, payment_method, subtotal_cents, total_cents, item_count,
        created_at, fraud_prior_score)
      select 'CEIL-' || g, (select min(id) from customers), 'card', 1000, 1000, 1,
        ${new Date(day - 2 * DAY)}::timestamptz + g * interval '5 minutes',
        case when g % 5 = 0 then 70 + g % 20 else 5 + g % 30 end
      from generate_series(1, 500) g`;

    /** Labels every fifth sale from `from` to `to` fraud yesterday, then opens the page's figures as an admin. */
    const labelThenOpenAsAdmin = async (from: number, to: number) => {
      await sql`
        update transactions set fraud_label = 'fraud', labeled_at = ${new Date(day - DAY / 2)},
          labeled_by = 'analyst'
        where order_ref in (select 'CEIL-' || g from generate_series(${from}::int, ${to}::int, 5) g)`;
      // written with SQL, which publishes no event: the counts the page keeps are dropped by hand
      forgetLabelCounts(sql);
      const admin = await browser.newPage();
      await signIn(admin, app.url, "admin", "/fraud");
      await admin.waitForSelector(`${panel}[data-hydrated="true"]`, { state: "attached" });
      await admin.getByText("Figures for analysts").click();
      return admin;
    };

    const analyst = await browser.newPage();
    await t.step(
      "an analyst reads the ceiling (5% until the labels say more) and the point it gives, but cannot change it",
      async () => {
        await signIn(analyst, app.url, "analyst", "/fraud");
        await analyst.waitForSelector(`${panel}[data-hydrated="true"]`, { state: "attached" });
        const text = await analyst.textContent(ceiling) ?? "";
        assert.match(
          text,
          /the ready-made model sends at most 5(\.0)?% of the shop's sales to review, apart from sales it scores 90 or more\. Once your team has confirmed 10 sales as fraud, the limit follows their labels each day/,
        );
        // the words a shop's staff read: no "prior", "recall", "ceiling" or "cold start"
        assert.doesNotMatch(text, /prior|recall|ceiling|cold.start/i);
        assert.match(text, /Only admins change it/);
        assert.equal(await analyst.locator(`${ceiling} input`).count(), 0);
        const shown = await analyst.textContent(point) ?? "";
        assert.match(shown, /computed with a review limit of 5(\.0)?%/);
        const threshold = Number(/the prior scores it (\d+\.\d) or more/.exec(shown)?.[1]);
        assert.ok(threshold > 70, shown);
        assert.match(shown, /Review load: [0-5](\.\d)?% of sales/);
      },
    );

    await t.step("an admin raises it to 25%: the panel shows the new point without a reload", async () => {
      const admin = await browser.newPage();
      await signIn(admin, app.url, "admin", "/fraud");
      await admin.waitForSelector(`${panel}[data-hydrated="true"]`, { state: "attached" });
      await admin.getByText("Figures for analysts").click();
      // following the labels (the default), the number is the admin's alternative
      const input = admin.getByLabel("Or set a limit of your own (%)");
      assert.equal(await input.inputValue(), "5");
      // the button stood as tall as the label and the field together, its middle above the field's
      const [field, button] = await Promise.all([
        input.boundingBox(),
        admin.getByRole("button", { name: "Save limit" }).boundingBox(),
      ]);
      assert.ok(field && button && button.height < 1.5 * field.height, JSON.stringify({ field, button }));
      assert.ok(
        Math.abs(field.y + field.height - (button.y + button.height)) <= 3,
        JSON.stringify({ field, button }),
      );
      // out of range: the form says so and sends nothing
      await input.fill("30");
      await admin.getByRole("button", { name: "Save limit" }).click();
      assert.equal(await input.evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow), true);
      const [{ rate }] = await sql<
        [{ rate: number }]
      >`select cold_start_max_review_rate as rate from fraud_settings`;
      assert.equal(rate, 0.05);

      await input.fill("25");
      await admin.getByRole("button", { name: "Save limit" }).click();
      await admin.locator(`${panel} .notice`).waitFor();
      assert.match(
        await admin.textContent(`${panel} .notice`) ?? "",
        /at most 25(\.0)?% of sales now go to review/,
      );
      const shown = await admin.textContent(point) ?? "";
      assert.match(shown, /computed with a review limit of 25(\.0)?%/);
      // 20% of the sales score high: under 25% the shared threshold is back, never lowered
      assert.match(shown, /the prior scores it 50\.0 or more/);
      assert.match(shown, /Review load: 20(\.0)?% of sales/);
      assert.match(await admin.textContent(ceiling) ?? "", /at most 25(\.0)?% .* \(set by admin\)/);
      const [audit] = await sql`select actor_name from audit_log where action = 'fraud_settings.changed'`;
      assert.equal(audit.actor_name, "admin");
      await admin.close();
    });

    await t.step("the analyst's open page follows the change (no reload)", async () => {
      await analyst.waitForFunction(
        (selector) => /review limit of 25(\.0)?%/.test(document.querySelector(selector)?.textContent ?? ""),
        point,
        { timeout: 15_000 },
      );
      assert.match(await analyst.textContent(ceiling) ?? "", /at most 25(\.0)?% .* \(set by admin\)/);
      assert.equal(await analyst.locator('[data-testid="fraud-ceiling-proposal"]').count(), 0);
      await analyst.close();
    });

    await t.step(
      "with fraud labels known, the page proposes a ceiling from them and an admin applies it",
      async () => {
        // analysts confirmed 60 of the 500 sales as fraud yesterday: about 12%
        const admin = await labelThenOpenAsAdmin(5, 300);
        const proposal = '[data-testid="fraud-ceiling-proposal"]';
        assert.match(
          await admin.textContent(proposal) ?? "",
          /Of the 500 sales of the last 90 days, your team has confirmed 60 as fraud: about 12(\.0)?%\. A limit of 12(\.0)?% would fit/,
        );
        await admin.getByRole("button", { name: /^Use 12(\.0)?%$/ }).click();
        await admin.locator(`${panel} .notice`).waitFor();
        assert.match(
          await admin.textContent(`${panel} .notice`) ?? "",
          /at most 12(\.0)?% of sales now go to review/,
        );
        assert.match(await admin.textContent(point) ?? "", /computed with a review limit of 12(\.0)?%/);
        assert.equal(await admin.getByLabel("Most sales to send to review (%)").inputValue(), "12");
        const [{ rate }] = await sql<
          [{ rate: number }]
        >`select cold_start_max_review_rate as rate from fraud_settings`;
        assert.equal(rate, 0.12);
        // applied: the button has nothing left to change
        assert.equal(await admin.getByRole("button", { name: /^Use 12(\.0)?%$/ }).isDisabled(), true);
        await admin.close();
      },
    );

    await t.step("an admin goes back to following the labels: the limit is theirs each day", async () => {
      // 75 of the 500 confirmed now: 15%, no longer the 12% set by hand
      const admin = await labelThenOpenAsAdmin(305, 375);
      await admin.getByRole("button", { name: "Follow the fraud labels each day" }).click();
      await admin.locator(`${panel} .notice`).waitFor();
      assert.match(
        await admin.textContent(`${panel} .notice`) ?? "",
        /The review limit now follows your team's fraud labels each day/,
      );
      assert.match(
        await admin.textContent('[data-testid="fraud-ceiling-follows"]') ?? "",
        /Review limit: 15(\.0)?% of the shop's sales, from your team's fraud labels, updated each day\. Of the 500 sales of the last 90 days, your team has confirmed 75 as fraud/,
      );
      assert.match(await admin.textContent(point) ?? "", /computed with a review limit of 15(\.0)?%/);
      assert.equal(await admin.getByRole("button", { name: "Follow the fraud labels each day" }).count(), 0);
      const [{ follow }] = await sql<
        [{ follow: boolean }]
      >`select follow_labels as follow from fraud_settings`;
      assert.equal(follow, true);
      await admin.close();
    });
  },
  { embeddedOnly: true },
);
