import assert from "node:assert/strict";
import { startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { browserTest } from "./_browser.ts";
import { signIn } from "./_sign_in.ts";

browserTest(
  "the menu works from the keyboard alone: skip link, visible focus, Enter follows a link",
  startAuthTestApp,
  async (app, browser) => {
    const page = await browser.newPage();
    await signIn(page, app.url, "viewer");
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        const style = element ? getComputedStyle(element) : null;
        return {
          text: element?.textContent?.trim() ?? "",
          href: element?.getAttribute("href") ?? "",
          outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : "",
        };
      });

    await page.keyboard.press("Tab");
    const skip = await focused();
    assert.equal(skip.text, "Skip to content", "the first stop is the skip link");
    assert.ok(await page.isVisible(".skip-link"), "the skip link shows when focused");

    // Tab on to the menu, to the Products link, each stop with a visible outline
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      const stop = await focused();
      stops.push(stop.href);
      assert.doesNotMatch(stop.outline, /^none/, `focus on ${stop.text} is visible`);
      if (stop.href === "/products") break;
    }
    assert.deepEqual(stops.slice(0, 2), ["/", "/"], "brand, then Dashboard");
    assert.ok(stops.includes("/transactions"), "the menu's links come in order");
    await Promise.all([page.waitForURL(`${app.url}/products`), page.keyboard.press("Enter")]);
    assert.equal(
      await page.getAttribute('nav[aria-label="Main"] a[aria-current="page"]', "href"),
      "/products",
    );

    // The skip link moves focus past the menu to the content. The first Tab waits for the page's islands
    // (a hydration under way can still move focus), and the same-document jump is awaited, not read at
    // once: on a loaded CI machine the URL was read before it changed
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-island]")].every((island) =>
        island.getAttribute("data-hydrated") === "true"
      )
    );
    await page.keyboard.press("Tab");
    assert.equal(
      (await focused()).text,
      "Skip to content",
      "on the new page, the first stop is the skip link",
    );
    await Promise.all([page.waitForURL(/#main$/), page.keyboard.press("Enter")]);
  },
  { embeddedOnly: true },
);
