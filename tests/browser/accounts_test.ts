// Accounts as people use them: changing one's own password, reaching Admin, copying a new token.
import assert from "node:assert/strict";
import { fixturePassword, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a user changes their own password: the old one is required, a weak one is refused, other sessions end",
  startAuthTestApp,
  async (app, browser) => {
    const elsewhere = await (await browser.newContext()).newPage();
    await signIn(elsewhere, app.url, "analyst");
    const page = await (await browser.newContext()).newPage();
    await signIn(page, app.url, "analyst");
    await page.click('[data-testid="user-menu"]');
    await Promise.all([page.waitForURL(/\/account$/), page.click('a[href="/account"]')]);
    await page.waitForSelector('[data-island="ChangePassword"][data-hydrated="true"]', { state: "attached" });
    const form = page.locator('[data-testid="change-password"]');
    const submit = async (current: string, next: string, again = next) => {
      await page.fill("#account-currentPassword", current);
      await page.fill("#account-newPassword", next);
      await page.fill("#account-confirmPassword", again);
      await form.locator('button[type="submit"]').click();
    };

    await submit("not my password", "a brand new passphrase");
    await page.locator("#account-currentPassword-error").waitFor();
    assert.equal(await page.textContent("#account-currentPassword-error"), "The current password is wrong");

    await submit(fixturePassword, "password1234");
    await page.locator("#account-newPassword-error").waitFor();
    assert.match(await page.textContent("#account-newPassword-error") ?? "", /too easy to guess/);

    await submit(fixturePassword, "a brand new passphrase", "a different one");
    assert.equal(
      await page.textContent("#account-confirmPassword-error"),
      "The two new passwords are not the same",
    );

    await submit(fixturePassword, "a brand new passphrase");
    await form.locator('[data-testid="form-ok"]').waitFor();
    assert.match(await form.locator('[data-testid="form-ok"]').textContent() ?? "", /1 other session was/);

    // the other browser was signed out; this one stays signed in
    await elsewhere.goto(`${app.url}/`);
    assert.match(elsewhere.url(), /\/login/);
    await page.goto(`${app.url}/`);
    assert.doesNotMatch(page.url(), /\/login/);
  },
  { embeddedOnly: true },
);

browserTest(
  "admins find Admin in the main navigation, others do not; a new token has a copy button",
  startAuthTestApp,
  async (app, browser) => {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await signIn(page, app.url, "admin");
    const admin = page.locator('nav[aria-label="Main"] a', { hasText: "Admin" });
    assert.equal(await admin.count(), 1);
    await page.goto(`${app.url}/admin/tokens`);
    assert.equal(await admin.getAttribute("aria-current"), "page");
    await page.waitForSelector('[data-island="TokenAdmin"][data-hydrated="true"]', { state: "attached" });
    await page.fill('input[name="name"]', "copy-test");
    await page.locator('form button[type="submit"]', { hasText: /create/i }).click();
    const token = await page.locator('[data-testid="new-token"]').textContent();
    assert.match(token ?? "", /^tm_/);
    await page.click('[data-testid="copy-button"]');
    await page.locator('[data-testid="copy-button"]', { hasText: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);

    const manager = await (await browser.newContext()).newPage();
    await signIn(manager, app.url, "manager");
    assert.equal(await manager.locator('nav[aria-label="Main"] a', { hasText: "Admin" }).count(), 0);
  },
  { embeddedOnly: true },
);
