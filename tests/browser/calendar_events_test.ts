import assert from "node:assert/strict";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { addDays, storeDay } from "../../server/shared/store_time.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

let today = "";

browserTest(
  "a manager adds a promotion on the Inventory page; it is listed beside the holidays, live on a viewer's page",
  () =>
    startTestApp({
      env: { JOBS: "off", SEED_SAMPLE_DATA: "never" },
      prepare: async (services) => {
        await insertRoleUsers(services);
        today = storeDay(new Date(), services.config.STORE_TZ);
        await services.db.sql`
          insert into calendar_events (day, kind, name, source)
          values (${addDays(today, 5)}, 'holiday', 'Founders Day', 'holidays')`;
      },
    }),
  async (app, browser) => {
    // a viewer's open Inventory page follows the change live
    const watcher = await browser.newPage();
    await signIn(watcher, app.url, "viewer", "/inventory#calendar-events");
    await watcher.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
    assert.equal(
      await watcher.locator('[data-testid="calendar-event-form"]').count(),
      0,
      "no form for a viewer",
    );

    const page = await browser.newPage();
    await signIn(page, app.url, "manager", "/inventory#calendar-events");
    const table = page.locator('[data-testid="calendar-events"]');
    const holiday = table.locator("tr", { hasText: "Founders Day" });
    await holiday.waitFor({ timeout: 10_000 });
    assert.match(await holiday.textContent() ?? "", /Public holiday/);
    assert.equal(await holiday.locator("button").count(), 0, "a holiday has no Remove button");

    await page.locator("#calendar-events summary").click();
    const form = page.locator('[data-testid="calendar-event-form"]');
    await form.locator('input[name="name"]').fill("Spring sale");
    await form.locator('input[name="startsOn"]').fill(addDays(today, 1));
    await form.locator('input[name="endsOn"]').fill(addDays(today, 3));
    await form.locator('button[type="submit"]').click();
    const sale = table.locator("tr", { hasText: "Spring sale" });
    await sale.waitFor({ timeout: 10_000 });
    assert.match(await sale.textContent() ?? "", /Promotion/);
    assert.equal(await sale.locator("button", { hasText: "Remove" }).count(), 1);

    await watcher.locator('[data-testid="calendar-events"] tr', { hasText: "Spring sale" }).waitFor({
      timeout: 10_000,
    });

    // it is stored: a fresh load of the page lists it too
    await page.reload();
    await table.locator("tr", { hasText: "Spring sale" }).waitFor({ timeout: 10_000 });
  },
  { embeddedOnly: true },
);
