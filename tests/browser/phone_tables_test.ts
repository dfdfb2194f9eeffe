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
