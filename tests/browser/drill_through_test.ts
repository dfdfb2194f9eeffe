import assert from "node:assert/strict";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "drill-through: Analytics and Dashboard charts, categories, segments and products open their transactions",
  startSampleApp,
  async (app, browser, t) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "viewer", "/analytics?days=90");

    await t.step(
      "the category table's link filters Transactions by category and the range's days",
      async () => {
        const link = page.locator("#categories table a").first();
        const category = (await link.textContent())!.trim();
        await Promise.all([page.waitForURL(/\/transactions\?/), link.click()]);
        const url = new URL(page.url());
        assert.equal(url.searchParams.get("category"), category);
        assert.match(url.searchParams.get("from") ?? "", /^\d{4}-\d{2}-\d{2}$/);
        assert.match(url.searchParams.get("to") ?? "", /^\d{4}-\d{2}-\d{2}$/);
        // the filter form shows the category chosen, and rows are listed
        assert.equal(await page.locator('select[name="category"]').inputValue(), category);
        assert.ok(await page.locator("table tbody tr").count() > 0);
      },
    );

    await t.step("a day of the sales chart opens that store day's transactions", async () => {
      await page.goto(`${app.url}/analytics?days=30`);
      await page.locator("details.chart-table summary").first().click();
      const link = page.locator("details.chart-table tbody th a").last();
      await Promise.all([page.waitForURL(/\/transactions\?/), link.click()]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("from"), url.searchParams.get("to"));
      assert.match(url.searchParams.get("from") ?? "", /^\d{4}-\d{2}-\d{2}$/);
    });

    await t.step("a click on a bar of the category chart opens that category's transactions", async () => {
      await page.goto(`${app.url}/analytics?days=90`);
      const canvas = page.locator("#categories canvas");
      await page.waitForSelector('#categories [data-hydrated="true"]');
      // chart.js draws after loading its chunk; its instance is then reachable from the canvas
      await page.waitForFunction(() => {
        const canvas = document.querySelector("#categories canvas") as HTMLCanvasElement | null;
        return canvas !== null && canvas.width > 0 &&
          (canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data.some((v) =>
            v !== 0
          ) ?? false);
      });
      const labels = await page.locator("#categories table tbody th a").allTextContents();
      const box = (await canvas.boundingBox())!;
      await Promise.all([
        page.waitForURL(/\/transactions\?/),
        // the middle of the plot: a bar's column (index interaction needs no exact hit)
        canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.6 } }),
      ]);
      const category = new URL(page.url()).searchParams.get("category");
      assert.ok(category && labels.map((l) => l.trim()).includes(category), `${category} in ${labels}`);
    });

    await t.step("a minute of the Dashboard's sales chart opens that minute's transactions", async () => {
      await page.goto(`${app.url}/`);
      await page.locator("details.chart-table summary").first().click();
      const link = page.locator("details.chart-table tbody th a").last();
      await Promise.all([page.waitForURL(/\/transactions\?/), link.click()]);
      const url = new URL(page.url());
      const since = new Date(url.searchParams.get("since")!);
      const until = new Date(url.searchParams.get("until")!);
      assert.equal(until.getTime() - since.getTime(), 60_000);
      assert.match(
        await page.locator('[data-testid="drill-filters"]').textContent() ?? "",
        /sales from .* to /,
      );
    });

    await t.step("a segment and a best seller on Analytics open their sales", async () => {
      await page.goto(`${app.url}/analytics?days=90`);
      const segment = page.locator("#segments table tbody th a").first();
      const name = (await segment.textContent())!.trim();
      await Promise.all([page.waitForURL(/\/transactions\?/), segment.click()]);
      assert.equal(new URL(page.url()).searchParams.get("segment"), name);
      assert.match(await page.locator('[data-testid="drill-filters"]').textContent() ?? "", new RegExp(name));
      assert.ok(await page.locator("table tbody tr[data-transaction-id]").count() > 0);

      await page.goto(`${app.url}/analytics?days=90`);
      const units = page.locator("#top-products td.num a").first();
      const [productName] = await units.evaluate((
        a,
      ) => [a.closest("tr")!.querySelector("th, td")!.textContent!]);
      await Promise.all([page.waitForURL(/\/transactions\?/), units.click()]);
      const url = new URL(page.url());
      assert.match(url.searchParams.get("product") ?? "", /^\d+$/);
      // the filter line names the product, not its id
      const line = await page.locator('[data-testid="drill-filters"]').textContent() ?? "";
      assert.ok(line.includes(productName.trim().slice(0, 12)), `${line} names ${productName}`);
      assert.doesNotMatch(line, /product #/);
      assert.match(url.searchParams.get("from") ?? "", /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(await page.locator("table tbody tr[data-transaction-id]").count() > 0);
    });

    await t.step("a category chosen on Analytics narrows every card and its links", async () => {
      await page.goto(`${app.url}/analytics?days=90`);
      const category = (await page.locator("#categories table tbody th a").first().textContent())!.trim();
      // a labelled field like From and To
      await page.locator('[data-testid="category-filter"]').getByLabel("Category").selectOption(category);
      await Promise.all([
        page.waitForURL(/category=/),
        page.click('[data-testid="category-filter"] button[type="submit"]'),
      ]);
      assert.equal(new URL(page.url()).searchParams.get("days"), "90");
      assert.equal(await page.locator('[data-testid="category-chosen"]').textContent(), category);
      const shown = await page.locator("#top-products tbody td .muted").allTextContents();
      assert.ok(shown.length > 0 && shown.every((c) => c.trim() === category), `${shown} in ${category}`);
      await page.locator("details.chart-table summary").first().click();
      const day = page.locator("details.chart-table tbody th a").last();
      await Promise.all([page.waitForURL(/\/transactions\?/), day.click()]);
      assert.equal(new URL(page.url()).searchParams.get("category"), category);
    });
  },
  { embeddedOnly: true },
);
