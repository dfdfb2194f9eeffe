// On a phone the tables that lead with a product's name keep their figures on the screen: the name wraps.
import assert from "node:assert/strict";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { settle } from "./_settle.ts";
import { signIn } from "./_sign_in.ts";

/** Each header of the panel's table and where its right edge is, against the width the table is seen in. */
function columnEdges(panelId: string) {
  const panel = document.getElementById(panelId)!;
  const scroll = panel.querySelector(".table-scroll")!;
  const seen = scroll.getBoundingClientRect().right;
  return [...panel.querySelectorAll("thead th")].map((th) => ({
    column: th.textContent ?? "",
    beyond: Math.round(th.getBoundingClientRect().right - seen),
  }));
}

browserTest(
  "at 390 px Top products and the stock tables show units, revenue and stock without a sideways scroll",
  startSampleApp,
  async (app, browser) => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const hidden = async (path: string, panelId: string, columns: string[]) => {
      await phone.goto(`${app.url}${path}`);
      await settle(phone);
      const edges = await phone.evaluate(columnEdges, panelId);
      assert.ok(edges.length > 0, `${path} #${panelId} has a table`);
      return edges.filter((edge) => columns.includes(edge.column) && edge.beyond > 0);
    };
    await signIn(phone, app.url, "admin", "/");
    // they were 180 to 200 px beyond the screen's edge, behind "Scroll sideways for more"
    assert.deepEqual(await hidden("/", "top-products", ["Product", "Units", "Revenue"]), []);
    assert.deepEqual(await hidden("/", "running-low", ["Product", "Stock", "Cover", "Urgency"]), []);
    assert.deepEqual(await hidden("/analytics", "top-products", ["Product", "Units", "Revenue"]), []);
    assert.deepEqual(await hidden("/inventory", "low-stock", ["Product", "Urgency", "Stock"]), []);
  },
  { embeddedOnly: true },
);

browserTest(
  "Inventory › Low stock folds Reorder at and Best supplier under the product on a phone, and shows them as columns on a desktop, as Category performance shows all of its",
  startSampleApp,
  async (app, browser) => {
    const open = async (width: number) => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await signIn(page, app.url, "manager", "/inventory");
      await settle(page);
      return page;
    };
    const phone = await open(390);
    // Session 8 left these two 170 px beyond the screen's edge: now every column is on the screen
    const edges = await phone.evaluate(columnEdges, "low-stock");
    assert.deepEqual(edges.filter((edge) => edge.beyond > 0), []);
    assert.equal(await phone.locator("#low-stock th", { hasText: "Best supplier" }).isVisible(), false);
    const line = phone.locator('[data-testid="low-stock-phone-line"]').first();
    assert.match(await line.innerText(), /^Reorder at \d+ · (.+, \d+ days? lead time|no supplier)$/);
    assert.equal(
      await phone.locator("#low-stock .table-scroll").evaluate((el) => el.scrollWidth <= el.clientWidth + 1),
      true,
    );

    const desktop = await open(1440);
    assert.equal(await desktop.locator("#low-stock th", { hasText: "Reorder at" }).isVisible(), true);
    assert.equal(await desktop.locator("#low-stock th", { hasText: "Best supplier" }).isVisible(), true);
    assert.equal(await desktop.locator('[data-testid="low-stock-phone-line"]').first().isVisible(), false);
    // the Urgency filter offered "critical", "high", "medium" in lower case
    assert.deepEqual(await desktop.locator("#low-stock select[name=urgency] option").allInnerTexts(), [
      "Any urgency",
      "Critical",
      "High",
      "Medium",
    ]);

    // Analytics › Category performance on the same desktop: its table had half the panel and hid the
    // forecast and orders columns behind a sideways scroll
    await desktop.goto(`${app.url}/analytics`);
    await settle(desktop);
    assert.deepEqual(
      (await desktop.evaluate(columnEdges, "categories")).filter((edge) => edge.beyond > 0),
      [],
    );
    // Customer segments' heading said "RFM, computed 6 Dec 2026"
    assert.match(
      await desktop.locator("#segments-title + .muted").innerText(),
      /^by how recently, how often and how much they buy · grouped \d+ \w+ \d{4}$/,
    );
  },
  { embeddedOnly: true },
);

browserTest(
  "at 390 px no page scrolls sideways as a whole: wide tables scroll inside their own box",
  startSampleApp,
  async (app, browser) => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(phone, app.url, "admin", "/");
    const wide: string[] = [];
    // Users, API tokens, Audit log and Jobs were 3 to 196 px wider than the screen (their tables unwrapped)
    for (
      const path of [
        "/",
        "/analytics",
        "/inventory",
        "/transactions",
        "/products",
        "/alerts",
        "/alerts?tab=policies",
        "/alerts?tab=contact-points",
        "/alerts?tab=silences",
        "/alerts?tab=subscriptions",
        "/fraud",
        "/reports",
        "/account",
        "/admin/users",
        "/admin/tokens",
        "/admin/audit",
        "/admin/jobs",
        "/admin/import",
        "/admin/integrations",
      ]
    ) {
      await phone.goto(`${app.url}${path}`);
      await settle(phone);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${path} is ${width} px wide`);
      if (path === "/transactions") {
        // an order reference is one token: "TM-105000" broke over three lines
        const broken = await phone.locator("a.order-ref").evaluateAll((all) =>
          all.filter((el) => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 30)
            .map((el) => el.textContent)
        );
        assert.equal(await phone.locator("a.order-ref").count() > 0, true, "the table lists orders");
        assert.deepEqual(broken, [], "order references on one line");
      }
      if (path === "/admin/users") {
        // the role selects were squeezed to about 35 px: an arrow and no role
        const selects = await phone.locator("td select").evaluateAll((all) =>
          all.map((el) => Math.round(el.getBoundingClientRect().width))
        );
        assert.ok(
          selects.length > 0 && selects.every((px) => px >= 80),
          `role selects ${selects.join(", ")} px`,
        );
      }
    }
    assert.deepEqual(wide, []);
  },
  { embeddedOnly: true },
);
