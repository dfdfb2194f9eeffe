import assert from "node:assert/strict";
import { fixturePassword, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "a user signs in, sees the dashboard, signs out, and the back button shows nothing private",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    const dashboard = await page.goto(`${app.url}/`);
    assert.ok(dashboard);
    assert.match(page.url(), /\/login\?next=%2F$/, "an anonymous visit goes to the sign-in page");

    await page.fill('input[name="username"]', "manager");
    await page.fill('input[name="password"]', "not the right password");
    await page.click('button[type="submit"]');
    await page.waitForSelector("#login-error");
    assert.match(await page.textContent("#login-error") ?? "", /Wrong username or password/);

    await page.fill('input[name="username"]', "manager");
    await page.fill('input[name="password"]', fixturePassword);
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('button[type="submit"]')]);
    assert.equal(await page.textContent("main h1"), "Dashboard");
    assert.match(await page.textContent('[data-testid="user-menu"]') ?? "", /manager · manager/);
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "techmart_session");
    assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
    assert.equal(session?.sameSite, "Lax");

    await page.click('[data-testid="user-menu"]');
    await Promise.all([
      page.waitForURL(/\/login\?signedOut=1$/),
      page.click('form[action="/logout"]:not(:has(input[name="scope"])) button'),
    ]);
    assert.match(await page.textContent("main") ?? "", /You are signed out/);

    await page.goBack();
    await page.waitForLoadState();
    assert.match(page.url(), /\/login/, "going back lands on the sign-in page, not the dashboard");
    const body = await page.textContent("body") ?? "";
    assert.doesNotMatch(body, /manager · manager/);
    assert.equal(await page.locator('[data-island="DashboardKpis"]').count(), 0, "no dashboard figures");
  },
);

browserTest(
  "an admin creates a user on the Users page through the island (CSRF header sent) and it can sign in",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/admin/users");
    await page.waitForSelector('[data-island="UserAdmin"][data-hydrated="true"]');
    await page.fill('.admin-form input[name="username"]', "new.analyst");
    await page.selectOption('.admin-form select[name="role"]', "analyst");
    await page.fill('.admin-form input[name="password"]', "a long enough password");
    await page.click('.admin-form button[type="submit"]');
    await page.waitForSelector('tr[data-username="new.analyst"]');
    assert.match(await page.textContent('[role="status"]') ?? "", /Created new\.analyst/);

    const [audit] = await app.services.db.sql`
    select actor_name, entity_type from audit_log where action = 'user.created'`;
    assert.deepEqual({ ...audit }, { actor_name: "admin", entity_type: "user" });
    const login = await app.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "new.analyst", password: "a long enough password" }),
    });
    assert.equal((await login.json()).role, "analyst");
  },
);

browserTest(
  "an admin clears an account's sign-in waits from the Users page, and it can sign in again at once",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "admin", "/admin/users");
    await page.waitForSelector('[data-island="UserAdmin"][data-hydrated="true"]');
    const login = (password: string) =>
      app.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "spare", password }),
      });
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) status = (await login("wrong password " + i)).status;
    assert.equal(status, 429, "this address now waits before trying spare again");
    await page.click('tr[data-username="spare"] button:has-text("Clear sign-in waits")');
    await page.waitForSelector('[role="status"]:has-text("Sign-in waits cleared for spare")');
    assert.equal((await login(fixturePassword)).status, 200);
  },
);
