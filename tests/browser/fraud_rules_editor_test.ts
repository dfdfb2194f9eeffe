import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "an admin saves and activates fraud rules on the page itself, and a live update never swaps a draft away",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/fraud");
    // the statistics call each rule as the editor does, not by its code
    const ruleStats = await page.getByTestId("fraud-rule-stats").textContent() ?? "";
    assert.match(ruleStats, /Velocity \(count\).*New customer, high value/s);
    assert.doesNotMatch(ruleStats, /velocity_count|block_list|_/);
    const editor = page.locator('[data-island="FraudRulesEditor"]');
    await page.waitForSelector('[data-island="FraudRulesEditor"][data-hydrated="true"]', {
      state: "attached",
    });
    await page.waitForSelector('[data-island="LiveRefresh"][data-hydrated="true"]', { state: "attached" });
    await page.evaluate(() => {
      const moments: string[] = [];
      (globalThis as unknown as { rulesMoments: string[] }).rulesMoments = moments;
      for (const type of ["held", "refreshed"]) {
        document.addEventListener(`live:${type}`, (event) => {
          const { selector } = (event as CustomEvent<{ selector: string }>).detail;
          if (selector === "#fraud-rules") moments.push(type);
        });
      }
      // gone if the page is ever loaded again
      (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const versions = page.getByTestId("fraud-rule-versions");
    const review = editor.getByLabel("Review at");
    const first = Number(await review.inputValue());

    // A draft: the review threshold moved. Another admin's change arrives meanwhile: the page re-reads
    // itself, and the rules region waits instead of losing the draft
    await review.fill(String(first + 7));
    await page.getByRole("heading", { name: "Fraud" }).click(); // focus leaves the field
    await app.services.bus.publish("fraud.rules_changed", { version: 1 });
    await page.waitForFunction(
      () => (globalThis as unknown as { rulesMoments: string[] }).rulesMoments.includes("held"),
      undefined,
      { timeout: 20_000 },
    );
    assert.equal(await review.inputValue(), String(first + 7), "the draft is still there");

    // Saved and put in force: the versions and the draft follow, and the page was never reloaded
    await editor.getByLabel("Note").fill("review a little later");
    await editor.getByRole("button", { name: "Save as a new version" }).click();
    await editor.getByText("Saved as version 2, now in force.").waitFor();
    assert.match(
      await versions.locator("tbody tr", { hasText: "review a little later" }).textContent() ?? "",
      /in force/,
    );
    assert.match(await editor.textContent() ?? "", /Editing a draft of version 2 \(in force\)/);
    assert.equal(await review.inputValue(), String(first + 7));
    assert.equal(await editor.getByLabel("Note").inputValue(), "");
    const [stored] = await app.services.db.sql`
      select version, (rules -> 'thresholds' ->> 'review')::int as review from fraud_rule_versions where is_active`;
    assert.deepEqual({ ...stored }, { version: 2, review: first + 7 });

    // Saved without putting it in force: listed, and the draft goes back to the rules in force; then activated
    await review.fill(String(first + 9));
    await editor.getByLabel("Note").fill("stricter, for later");
    await editor.getByLabel("put in force now").uncheck();
    await editor.getByRole("button", { name: "Save as a new version" }).click();
    await editor.getByText("Saved as version 3.").waitFor();
    assert.equal(await review.inputValue(), String(first + 7), "the draft is the rules in force again");
    const later = versions.locator("tbody tr", { hasText: "stricter, for later" });
    assert.doesNotMatch(await later.textContent() ?? "", /in force/);
    await later.getByRole("button", { name: "Activate" }).click();
    await editor.getByText("Version 3 is in force.").waitFor();
    assert.match(await editor.textContent() ?? "", /Editing a draft of version 3 \(in force\)/);
    assert.equal(await review.inputValue(), String(first + 9));
    assert.match(await later.textContent() ?? "", /in force/);

    // Once the notice has been read, the region is redrawn from the server (its panel heading too)
    await page.waitForFunction(
      () => (globalThis as unknown as { rulesMoments: string[] }).rulesMoments.includes("refreshed"),
      undefined,
      { timeout: 30_000 },
    );
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
      true,
    );
    await page.close();
  },
  { embeddedOnly: true },
);
