import assert from "node:assert/strict";
import { mulberry32 } from "../../data/random.ts";
import { simulateOnce, type SimulationTally, startTrafficSimulator } from "../../server/simulate/traffic.ts";
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
    // A shop that moves: the first start raised its alerts and rules; simulated sales (through the
    // API, as `--simulate` makes them) fill today, and keep coming while the pictures are taken
    const tally: SimulationTally = { sales: 0, suspicious: 0, refunds: 0, refused: 0 };
    const random = mulberry32(2024);
    for (let i = 0; i < 40; i++) await simulateOnce(app.services, random, tally);
    assert.ok(tally.sales > 0, JSON.stringify(tally));
    const stopSimulator = startTrafficSimulator(app.services, { random });
    try {
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
            [...document.querySelectorAll("[data-island]")].every((el) =>
              (el as HTMLElement).dataset.hydrated
            )
          );
          await page.waitForTimeout(300);
          const file = new URL(`${name}-${scheme}.png`, outDir);
          await page.screenshot({ path: file.pathname });
          assert.ok((await Deno.stat(file)).size > 10_000, `${name}-${scheme}.png has content`);
        }
      }
      assert.deepEqual(errors, [], "no errors in the browser console");
      await context.close();
    } finally {
      await stopSimulator();
    }
  },
  { embeddedOnly: true },
);
