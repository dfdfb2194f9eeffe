// Browser test helper: sign a page in through the real sign-in form.
import type { Page } from "playwright-core";
import { fixturePassword } from "../../server/auth/_auth_fixtures.ts";

/** Signs `page` in as the fixture user `username` through the sign-in form and waits until it lands on `next`. */
export async function signIn(page: Page, baseUrl: string, username: string, next = "/"): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', fixturePassword);
  await Promise.all([page.waitForURL(new URL(next, baseUrl).href), page.click('button[type="submit"]')]);
}
