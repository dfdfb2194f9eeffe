import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { raiseAlert } from "../../server/alerts/alert_queries.ts";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "inventory, alerts and exports work in the browser on the sample shop",
  startSampleApp,
  async (app, browser, t) => {
    const sql = app.services.db.sql;
    await t.step("a manager approves a reorder suggestion and a purchase order appears", async () => {
      const page = await browser.newPage();
      await signIn(page, app.url, "manager", "/inventory");
      await page.waitForSelector('[data-island="ReorderSuggestions"][data-hydrated="true"]');
      const card = page.locator("article[data-suggestion-id]").first();
      const id = Number(await card.getAttribute("data-suggestion-id"));
      const product = (await card.locator("h3").textContent())!.trim();
      // the low-stock row points at its suggestion in words, not by the suggestion's number
      assert.equal(
        (await page.locator(`a[href="#suggestion-${id}"]`).first().textContent())?.trim(),
        "reorder suggested",
      );
      await card.getByRole("button", { name: "Approve" }).click();
      // the manager orders five more than suggested: the explanation is rewritten to say so
      const quantity = card.getByLabel("Quantity");
      const suggested = Number(await quantity.inputValue());
      await quantity.fill(String(suggested + 5));
      await card.getByLabel("Note for the purchase order (optional)").fill("Approved in the browser test");
      await card.locator('form button[type="submit"]').click();
      const confirmation = page.locator('[data-testid="form-ok"]');
      await confirmation.waitFor();
      assert.match(
        await confirmation.textContent() ?? "",
        new RegExp(`Approved ${product}: purchase order #\\d+`),
      );
      assert.equal(
        await page.locator(`article[data-suggestion-id="${id}"]`).count(),
        0,
        "it leaves the open list",
      );
      const [changed] = await sql`select quantity, reason from reorder_suggestions where id = ${id}`;
      assert.equal(changed.quantity, suggested + 5);
      assert.match(
        changed.reason,
        new RegExp(`Approved with changes: ${suggested + 5} units from .* instead of ${suggested} from`),
      );

      const [row] = await sql`
      select s.status, s.decision_note, po.status as po_status
      from reorder_suggestions s join purchase_orders po on po.id = s.purchase_order_id
      where s.id = ${id}`;
      assert.deepEqual({ ...row }, {
        status: "approved",
        decision_note: "Approved in the browser test",
        po_status: "ordered",
      });
      await page.reload();
      const order = page.locator('[data-testid="purchase-orders"] tbody tr').first();
      assert.match(
        await order.textContent() ?? "",
        new RegExp(product.slice(0, 20).replace(/[()+]/g, ".")),
      );
      assert.equal(await order.getByRole("button", { name: "Mark received" }).count(), 1);
      // receiving cannot be undone: the first click asks, "No" changes nothing, "Yes" receives
      await page.waitForSelector('[data-island="PurchaseOrders"][data-hydrated="true"]', {
        state: "attached",
      });
      await order.getByRole("button", { name: "Mark received" }).click();
      assert.match(await order.textContent() ?? "", /units of PO #\d+ to stock\? This cannot be undone/);
      await order.getByTestId("confirm-no").click();
      const [still] = await sql`
        select po.status from reorder_suggestions s join purchase_orders po on po.id = s.purchase_order_id
        where s.id = ${id}`;
      assert.equal(still.status, "ordered");
      await order.getByRole("button", { name: "Mark received" }).click();
      await order.getByTestId("confirm-yes").click();
      await page.locator('[data-testid="form-ok"]').waitFor();
      const [received] = await sql`
        select po.status from reorder_suggestions s join purchase_orders po on po.id = s.purchase_order_id
        where s.id = ${id}`;
      assert.equal(received.status, "received");
      await page.close();
    });

    await t.step("a manager resolves an alert with a note", async () => {
      const { alert } = await raiseAlert(sql, {
        type: "custom",
        severity: "high",
        title: "Card payments failing",
        message: "Error rate 7% over 10 minutes",
      });
      const page = await browser.newPage();
      await signIn(page, app.url, "manager", "/alerts?status=open");
      await page.waitForSelector('[data-island="AlertList"][data-hydrated="true"]');
      const row = page.locator(`tr[data-alert-id="${alert.id}"]`);
      // the kind of alert in words, not its code
      assert.match(await row.textContent() ?? "", /Custom · raised/);
      await row.getByRole("button", { name: "Resolve" }).click();
      await page.getByLabel("What was done? (note)").fill("Switched to the backup gateway");
      await page.getByRole("button", { name: "Resolve alert" }).click();
      await page.locator('[data-testid="form-ok"]').waitFor();
      assert.match(await row.textContent() ?? "", /resolved/);
      assert.match(await row.textContent() ?? "", /Switched to the backup gateway/);
      const [stored] = await sql`select status, resolution_note from alerts where id = ${alert.id}`;
      assert.deepEqual({ ...stored }, {
        status: "resolved",
        resolution_note: "Switched to the backup gateway",
      });
      await page.close();
    });

    await t.step(
      "an analyst exports the filtered alert list as CSV; a viewer sees no export link",
      async () => {
        await raiseAlert(sql, { type: "custom", severity: "critical", title: "=SUM(A1:A9)", message: "" });
        await raiseAlert(sql, { type: "custom", severity: "low", title: "Not critical", message: "" });
        const context = await browser.newContext({ acceptDownloads: true });
        const page = await context.newPage();
        await signIn(page, app.url, "analyst", "/alerts?severity=critical");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Export CSV" }).first().click(),
        ]);
        assert.match(download.suggestedFilename(), /^techmart-alerts-.*\.csv$/);
        const text = await Deno.readTextFile((await download.path())!);
        const rows: Record<string, string>[] = parse(text.replace(/^\uFEFF/, ""), { columns: true });
        assert.ok(rows.length >= 1);
        assert.ok(rows.every((r) => r.severity === "critical"), "the page's filter applies to the export");
        assert.ok(rows.some((r) => r.title === "'=SUM(A1:A9)"), "formulas are defused");
        await context.close();

        const viewer = await browser.newPage();
        await signIn(viewer, app.url, "viewer", "/alerts");
        assert.equal(await viewer.getByRole("link", { name: "Export CSV" }).count(), 0);
        await viewer.close();
      },
    );
  },
);
