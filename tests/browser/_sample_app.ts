// Browser-test helpers: an app holding the sample shop (with forecasts, suggestions and segments) and
// the fixture accounts, and signing in through the real form.
import type { Page } from "playwright-core";
import { fixturePassword, insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { prepareFirstStart } from "../../server/prepare.ts";
import { startTestApp, type TestApp } from "../../server/testing/test_app.ts";

/** A test app with the sample data imported and derived, plus one account per role (`viewer` ... `admin`). */
export async function startSampleApp(): Promise<TestApp> {
  return await startTestApp({
    prepare: async (services) => {
      // accounts first, so first-start preparation creates no admin of its own
      await insertRoleUsers(services);
      await prepareFirstStart(services);
    },
  });
}

/** Signs `username` in through the sign-in form and lands on `next`. */
export async function signIn(page: Page, baseUrl: string, username: string, next = "/"): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', fixturePassword);
  await Promise.all([
    page.waitForURL((url) => url.pathname === new URL(next, baseUrl).pathname),
    page.click('button[type="submit"]'),
  ]);
}
