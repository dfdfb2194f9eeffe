import assert from "node:assert/strict";
import { raiseAlert } from "../../server/alerts/alert_queries.ts";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { signIn } from "./_sign_in.ts";

const pages = [
  { path: "/", name: "dashboard" },
  { path: "/analytics", name: "analytics" },
  { path: "/inventory", name: "inventory" },
  { path: "/transactions", name: "transactions" },
  { path: "/products", name: "products" },
  { path: "/alerts", name: "alerts" },
];

// The README's pictures change only on purpose (`UPDATE_SCREENSHOTS=1 deno task test`); a plain run
// writes to the ignored tests/output/ so testing never dirties the work tree
const outDir = Deno.env.get("UPDATE_SCREENSHOTS") === "1"
  ? new URL("../../docs/screenshots/", import.meta.url)
  : new URL("../output/screenshots/", import.meta.url);

browserTest(
  "the six pages render without browser errors in light and dark, and their screenshots are saved",
  startSampleApp,
  async (app, browser) => {
    // a few alerts and a rule, so the Alerts page shows what it is for
    const sql = app.services.db.sql;
    await raiseAlert(sql, {
      type: "custom",
      severity: "critical",
      title: "Card payments failing",
      message: "Error rate 7% over 10 minutes",
    });
    await raiseAlert(sql, {
      type: "fraud_review",
      severity: "medium",
      title: "Review a high-value order",
      message: "Fraud score 0.71: new account, resale-prone items",
    });
    await raiseAlert(sql, {
      type: "job_failed",
      severity: "low",
      title: "Daily report ran late",
      message: "",
    });
    await Deno.mkdir(outDir, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await signIn(page, app.url, "manager", "/");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const { path, name } of pages) {
        const response = await page.goto(`${app.url}${path}`);
        assert.equal(response?.status(), 200, `${path} answers 200`);
        await page.waitForLoadState("networkidle");
        // every island on the page hydrated, charts drawn
        await page.waitForFunction(() =>
          [...document.querySelectorAll("[data-island]")].every((el) => (el as HTMLElement).dataset.hydrated)
        );
        await page.waitForTimeout(300);
        const file = new URL(`${name}-${scheme}.png`, outDir);
        await page.screenshot({ path: file.pathname });
        assert.ok((await Deno.stat(file)).size > 10_000, `${name}-${scheme}.png has content`);
      }
    }
    assert.deepEqual(errors, [], "no errors in the browser console");
    await context.close();
  },
);
