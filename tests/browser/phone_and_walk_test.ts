// The sample shop on a phone (390 px) and a desktop (1440 px): the menu button, scroll hints on wide
// tables, screenshots at both widths; then every page walked with bad input in its URL, which must
// answer in plain words (no JSON, no validation library's text, no amounts in minor units).
import assert from "node:assert/strict";
import { site } from "../../fresh.config.ts";
import { browserTest } from "./_browser.ts";
import { startSampleApp } from "./_sample_app.ts";
import { settle } from "./_settle.ts";
import { signIn } from "./_sign_in.ts";
import { assertNoDeveloperText } from "./_user_words.ts";

const outDir = Deno.env.get("UPDATE_SCREENSHOTS") === "1"
  ? new URL("../../docs/screenshots/", import.meta.url)
  : new URL("../output/screenshots/", import.meta.url);

// Bad values for every query parameter the pages read
const badQuery = "?min=-5&max=abc&from=yesterday&to=2024-13-45&status=lost&cursor=%7B%22x%22%3A1%7D&page=-1" +
  "&edit=abc&open=xyz&range=forever&granularity=week&sort=%22&order=sideways&search=%7B%22code%22&urgency=x";

browserTest(
  "a phone gets a menu button and scroll hints; screenshots at 1440 and 390 px; bad URLs read plainly",
  startSampleApp,
  async (app, browser, t) => {
    await Deno.mkdir(outDir, { recursive: true });
    await t.step("at 390 px the navigation folds behind a menu button that opens it", async () => {
      const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
      await signIn(phone, app.url, "admin", "/transactions");
      await settle(phone);
      const nav = phone.locator("#main-nav");
      assert.equal(await nav.isVisible(), false, "folded away");
      await phone.click('[data-testid="menu-button"]');
      await nav.waitFor({ state: "visible" });
      const links = nav.locator("a");
      assert.equal(await links.count(), 9, "every page the admin may open, Admin included");
      for (let i = 0; i < await links.count(); i++) {
        const box = (await links.nth(i).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `link ${i} is inside the screen`);
      }
      // the transactions table is wider than a phone: it says so, and stops saying so at its end
      const table = phone.locator(".table-scroll").first();
      await phone.waitForFunction(() =>
        document.querySelector(".table-scroll")?.hasAttribute("data-overflows")
      );
      assert.match(
        await table.evaluate((el) => getComputedStyle(el, "::before").content),
        /Scroll sideways for more/,
      );
      await table.evaluate((el) => el.scrollLeft = el.scrollWidth);
      await phone.waitForFunction(() =>
        document.querySelector(".table-scroll")?.hasAttribute("data-scrolled-to-end")
      );
      await phone.click('[data-testid="menu-button"]');
      await nav.waitFor({ state: "hidden" });
    });

    await t.step(
      "at 1440 px the navigation shows without a menu button and tables need no hint",
      async () => {
        const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
        await signIn(desk, app.url, "admin", "/transactions");
        await settle(desk);
        assert.equal(await desk.locator("#main-nav").isVisible(), true);
        assert.equal(await desk.locator('[data-testid="menu-button"]').isVisible(), false);
      },
    );

    await t.step("screenshots of the main pages at 1440 and 390 px", async () => {
      for (const width of [1440, 390]) {
        const page =
          await (await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 } }))
            .newPage();
        await signIn(page, app.url, "admin", "/");
        for (const name of ["dashboard", "transactions", "inventory", "fraud", "account"]) {
          await page.goto(`${app.url}/${name === "dashboard" ? "" : name}`);
          await settle(page);
          if (width === 390 && name === "dashboard") await page.click('[data-testid="menu-button"]');
          const file = new URL(`${name}-${width}.png`, outDir);
          await page.screenshot({ path: file.pathname });
          assert.ok((await Deno.stat(file)).size > 10_000, `${name}-${width}.png has content`);
        }
      }
    });

    await t.step("every page, given bad values in its URL, answers in plain words", async () => {
      const page = await (await browser.newContext()).newPage();
      await signIn(page, app.url, "admin", "/");
      const paths = [...new Set(site.routes.map((route) => route.path.replace(/:id\{[^}]+\}/, "424242")))]
        .filter((path) => path !== "/login");
      assert.ok(paths.length >= 14, `pages: ${paths}`);
      for (const path of [...paths, "/no-such-page", "/transactions/424242", "/products?edit=424242"]) {
        const response = await page.goto(`${app.url}${path}${path.includes("?") ? "&x=1" : badQuery}`);
        assert.ok(response && response.status() < 500, `${path} answered ${response?.status()}`);
        await settle(page);
        assertNoDeveloperText(await page.locator("main").innerText(), path);
      }
    });
  },
  { embeddedOnly: true },
);
