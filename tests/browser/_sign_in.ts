// Browser test helper: sign a page in through the real sign-in form.
import type { Page } from "playwright-core";
import { fixturePassword } from "../../server/auth/_auth_fixtures.ts";

/** Signs `page` in as the fixture user `username` and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', fixturePassword);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('button[type="submit"]')]);
}
