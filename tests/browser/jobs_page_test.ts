// Admin › Jobs read by the person running the shop: each job by what it does, its code name kept small.
import assert from "node:assert/strict";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { browserTest } from "./_browser.ts";
import { settle } from "./_settle.ts";
import { signIn } from "./_sign_in.ts";
import { assertNoDeveloperText } from "./_user_words.ts";

browserTest(
  "Admin › Jobs names each job by what it does, keeps its code name small, and says how the slow-query list fills",
  () => startTestApp({ prepare: async (services) => void await insertRoleUsers(services) }),
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/admin/jobs");
    await settle(page);
    const views = page.locator("#job-refresh-views");
    // the panel was headed "refresh-views" and said "Refreshes the materialized views concurrently"
    assert.equal(await views.locator("h2").innerText(), "Sales totals");
    assert.match(await views.innerText(), /Brings the totals on the Dashboard and Analytics up to date/);
    assert.equal(await views.locator(".mono", { hasText: "refresh-views" }).count(), 1);
    const main = await page.locator("main").innerText();
    assert.doesNotMatch(main, /materiali[sz]ed|RFM|EXPLAIN|cron "/i);
    assertNoDeveloperText(main, "/admin/jobs");
    assert.match(
      await page.getByTestId("slow-queries-empty").innerText(),
      /Slow database queries job fills this on Sundays at 02:00 UTC, or at once with its Run now above/,
    );
  },
  { embeddedOnly: true },
);
