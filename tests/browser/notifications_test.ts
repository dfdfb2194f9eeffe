import assert from "node:assert/strict";
import { publishAlert, raiseAlert } from "../../server/alerts/alert_queries.ts";
import { insertRoleUsers } from "../../server/auth/_auth_fixtures.ts";
import { startHttpReceiver, startSmtpReceiver } from "../../server/notifications/_test_receivers.ts";
import { startTestApp } from "../../server/testing/test_app.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

const http = startHttpReceiver();
const smtp = await startSmtpReceiver();

browserTest(
  "Alerts tabs: contact points with send test, policies, silences; a raised alert reaches Slack",
  () =>
    startTestApp({
      // the receivers are on loopback, allowed on purpose
      env: { OUTBOUND_ALLOWLIST: "127.0.0.1", SMTP_URL: smtp.url },
      prepare: async (services) => {
        await insertRoleUsers(services);
      },
    }),
  async (app, browser, t) => {
    try {
      const page = await browser.newPage();
      await signIn(page, app.url, "manager", "/alerts?tab=contact-points");
      await page.waitForSelector('[data-island="ContactPoints"][data-hydrated="true"]');
      const notice = page.locator(".contact-points [role=status], .contact-points [role=alert]");

      await t.step("with no contact point yet, the policies tab says where to begin", async () => {
        await page.goto(`${app.url}/alerts?tab=policies`);
        assert.match(
          await page.getByTestId("policy-needs-contact-point").textContent() ?? "",
          /add a contact point under Contact points first/,
        );
        await page.goto(`${app.url}/alerts?tab=contact-points`);
        await page.waitForSelector('[data-island="ContactPoints"][data-hydrated="true"]');
      });

      await t.step("a private address is refused with a clear message", async () => {
        await page.getByText("New contact point").click();
        await page.fill('form[data-testid="contact-point-form"] input[name="name"]', "inside");
        await page.selectOption('form[data-testid="contact-point-form"] select[name="kind"]', "slack");
        await page.fill('form[data-testid="contact-point-form"] input[name="url"]', "http://10.0.0.5/hook");
        await page.click('form[data-testid="contact-point-form"] button[type="submit"]');
        await page.locator(".contact-points [role=alert]").waitFor();
        assert.match(await notice.textContent() ?? "", /refused.*10\.0\.0\.5/);
      });

      await t.step("a manager adds a Slack contact point and sends a test", async () => {
        await page.fill('form[data-testid="contact-point-form"] input[name="name"]', "ops slack");
        await page.fill('form[data-testid="contact-point-form"] input[name="url"]', http.url("/slack"));
        await page.click('form[data-testid="contact-point-form"] button[type="submit"]');
        await page.locator('[data-testid="contact-points"] td', { hasText: "ops slack" }).waitFor();
        await page.getByRole("button", { name: "Send test" }).click();
        await page.locator(".contact-points [role=status]", { hasText: "Test sent" }).waitFor();
        assert.equal(JSON.parse(http.on("/slack").at(-1)!.body).text, "TechMart test notification");
      });

      await t.step("a policy sends critical alerts there, and a raised alert arrives", async () => {
        await page.goto(`${app.url}/alerts?tab=policies`);
        await page.waitForSelector('[data-island="NotificationPolicies"][data-hydrated="true"]');
        assert.equal(await page.getByTestId("policy-needs-contact-point").count(), 0);
        await page.getByText("New policy").click();
        const form = 'form[data-testid="policy-form"]';
        await page.selectOption(`${form} select[name="label"]`, "severity");
        await page.fill(`${form} input[name="value"]`, "critical");
        await page.fill(`${form} input[name="groupWait"]`, "0");
        await page.click(`${form} button[type="submit"]`);
        await page.locator('[data-testid="policies"] td', { hasText: "severity=critical" }).waitFor();
        // raised the way every domain raises one: written, then announced on the bus
        const raised = await app.services.db.sql.begin((tx) =>
          raiseAlert(tx, { type: "custom", severity: "critical", title: "Checkout down" })
        );
        await publishAlert(app.services.bus, raised);
        for (let i = 0; i < 100 && !http.on("/slack").some((r) => r.body.includes("Checkout down")); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(http.on("/slack").some((r) => r.body.includes("Checkout down")));
      });

      await t.step("the alert's history says where its notification went and that it was sent", async () => {
        const { sql } = app.services.db;
        for (let i = 0; i < 100; i++) {
          const [row] = await sql<[{ status: string }?]>`
            select n.status from notifications n join alerts a on a.id = any(n.alert_ids)
            where a.title = 'Checkout down'`;
          if (row?.status === "sent") break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await page.goto(`${app.url}/alerts`);
        await page.waitForSelector('[data-island="AlertList"][data-hydrated="true"]');
        await page.locator("tr", { hasText: "Checkout down" }).getByRole("button", { name: "History" })
          .click();
        const sent = page.locator('[data-testid="alert-deliveries"] tr[data-status="sent"]');
        await sent.waitFor();
        assert.match(await sent.textContent() ?? "", /ops slack \(slack\)\s*sent /);
      });

      await t.step("a manager edits the policy: checked in the form, then saved", async () => {
        await page.goto(`${app.url}/alerts?tab=policies`);
        await page.waitForSelector('[data-island="NotificationPolicies"][data-hydrated="true"]');
        await page.getByRole("button", { name: "Edit" }).click();
        const form = 'form[data-testid="policy-edit"]';
        await page.fill(`${form} input[name="value"]`, "high");
        await page.fill(`${form} input[name="groupWait"]`, "60");
        await page.fill(`${form} input[name="muteFrom"]`, "22");
        await page.click(`${form} button[type="submit"]`);
        await page.locator(".notification-policies [role=alert]", { hasText: "needs both hours" }).waitFor();
        await page.fill(`${form} input[name="muteTo"]`, "6");
        await page.click(`${form} button[type="submit"]`);
        const row = page.locator('[data-testid="policies"] tr', { hasText: "severity=high" });
        await row.waitFor();
        assert.match(await row.textContent() ?? "", /ops slack.*wait 1 min.*22:00–6:00/);
      });

      await t.step(
        "a manager edits the contact point: a private address refused, a rename saved",
        async () => {
          await page.goto(`${app.url}/alerts?tab=contact-points`);
          await page.waitForSelector('[data-island="ContactPoints"][data-hydrated="true"]');
          await page.locator('[data-testid="contact-points"] tr', { hasText: "ops slack" })
            .getByRole("button", { name: "Edit" }).click();
          const form = 'form[data-testid="contact-point-edit"]';
          assert.equal(await page.inputValue(`${form} input[name="url"]`), http.url("/slack"));
          await page.fill(`${form} input[name="url"]`, "http://192.168.1.10/hook");
          await page.click(`${form} button[type="submit"]`);
          await page.locator(".contact-points [role=alert]", { hasText: "192.168.1.10" }).waitFor();
          await page.fill(`${form} input[name="url"]`, http.url("/slack"));
          await page.fill(`${form} input[name="name"]`, "ops slack night");
          await page.click(`${form} button[type="submit"]`);
          await page.locator('[data-testid="contact-points"] td', { hasText: "ops slack night" }).waitFor();
          assert.equal(await page.locator(form).count(), 0);
        },
      );

      await t.step(
        "an analyst silences a class of alerts and ends it; an open tab shows it live",
        async () => {
          const watcher = await browser.newPage();
          await signIn(watcher, app.url, "viewer", "/alerts?tab=silences");
          await watcher.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
          await watcher.waitForSelector('[data-island="LiveRefresh"][data-hydrated="true"]', {
            state: "attached",
          });
          const analyst = await browser.newPage();
          await signIn(analyst, app.url, "analyst", "/alerts?tab=silences");
          await analyst.waitForSelector('[data-island="Silences"][data-hydrated="true"]');
          await analyst.getByText("New silence").click();
          await analyst.selectOption('form[data-testid="silence-form"] select[name="label"]', "type");
          await analyst.fill('form[data-testid="silence-form"] input[name="value"]', "low_stock");
          await analyst.fill('form[data-testid="silence-form"] input[name="comment"]', "Black Friday");
          await analyst.click('form[data-testid="silence-form"] button[type="submit"]');
          await analyst.locator('[data-testid="silences"] td', { hasText: "Black Friday" }).waitFor();
          assert.equal(
            await analyst.locator('[data-testid="silences"] td', { hasText: "analyst" }).count(),
            1,
          );
          // the viewer's tab, open since before, shows the new silence without a reload
          await watcher.locator('[data-testid="silences"] td', { hasText: "Black Friday" }).waitFor({
            timeout: 10_000,
          });
          await watcher.close();
          await analyst.getByRole("button", { name: "End now" }).click();
          await analyst.locator(".silences [role=status]", { hasText: "Silence ended" }).waitFor();
        },
      );

      await t.step(
        "a viewer subscribes to the daily report; a manager's open tab lists it live and ends it",
        async () => {
          await page.goto(`${app.url}/alerts?tab=subscriptions`);
          await page.waitForSelector('[data-island="ConnectionStatus"] [data-state="live"]');
          await page.waitForSelector('[data-island="LiveRefresh"][data-hydrated="true"]', {
            state: "attached",
          });
          assert.equal(await page.locator('[data-testid="all-subscriptions"]').count(), 0);
          const reader = await browser.newPage();
          await signIn(reader, app.url, "viewer", "/alerts?tab=subscriptions");
          await reader.waitForSelector('[data-island="ReportSubscriptions"][data-hydrated="true"]');
          // managers only see everyone's
          assert.equal(await reader.locator('[data-testid="all-subscriptions"]').count(), 0);
          // the empty list said only "You get no report emails."
          assert.match(
            await reader.locator(".report-subscriptions .state-empty").innerText(),
            /To get one, choose a report, an address and an hour below, then Subscribe/,
          );
          await reader.selectOption('form[data-testid="subscribe-form"] select[name="period"]', "daily");
          await reader.fill('form[data-testid="subscribe-form"] input[name="email"]', "reader@example.com");
          await reader.click('form[data-testid="subscribe-form"] button[type="submit"]');
          await reader.locator('[data-testid="my-subscriptions"] td', { hasText: "reader@example.com" })
            .waitFor();
          const row = page.locator('[data-testid="all-subscriptions"] tr', { hasText: "reader@example.com" });
          await row.waitFor({ timeout: 10_000 });
          assert.match(await row.textContent() ?? "", /viewer\s*daily.*07:00\s*active/);
          await page.waitForSelector('[data-island="ReportSubscriptions"][data-hydrated="true"]');
          await row.getByRole("button", { name: "End" }).click();
          await page.locator('[data-testid="all-subscriptions"] td', { hasText: /^unsubscribed / }).waitFor();
          await reader.close();
        },
      );

      await t.step("a viewer sees the Slack URL's origin only and no send test", async () => {
        const viewer = await browser.newPage();
        await signIn(viewer, app.url, "viewer", "/alerts?tab=contact-points");
        const row = viewer.locator('[data-testid="contact-points"] tr', { hasText: "ops slack" });
        assert.equal((await row.textContent())?.includes("/slack"), false);
        assert.equal(await viewer.getByRole("button", { name: "Send test" }).count(), 0);
      });
    } finally {
      await http.close();
      await smtp.close();
    }
  },
);
