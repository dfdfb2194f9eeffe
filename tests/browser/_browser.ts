// Shared set-up for browser tests: Debian's chromium driven by playwright-core (no browser download).
import { type Browser, chromium } from "playwright-core";
import type { TestApp } from "../../server/testing/test_app.ts";

/** Where apt installs chromium; CHROMIUM_PATH overrides it. */
export const chromiumPath = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** True when chromium is installed, so browser tests can be skipped (with `ignore`) where it is not. */
export function hasChromium(): boolean {
  try {
    return Deno.statSync(chromiumPath).isFile;
  } catch {
    return false;
  }
}

/** Launches headless chromium with the flags a container needs. Close it when done. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface BrowserTestOptions {
  /**
   * Run only where the app stores on the embedded database (no DATABASE_URL): for browser tests whose
   * subject is the page (its words, layout, forms and the server's refusals), which the storage under
   * it does not change; the server tests cover the storage in both halves. CI runs the tests twice and
   * the second run (PostgreSQL + Redis) skips these, so CI stays inside its time budget. Pages that
   * follow live changes (events through Redis), the operations walk and sign-in run in both.
   */
  embeddedOnly?: boolean;
}

/**
 * Registers a browser test (skipped where chromium is missing) that gets a fresh app from `start`
 * and a fresh chromium, and closes both however the test ends.
 */
export function browserTest(
  name: string,
  start: () => Promise<TestApp>,
  fn: (app: TestApp, browser: Browser, t: Deno.TestContext) => Promise<void>,
  options: BrowserTestOptions = {},
): void {
  Deno.test({
    name,
    ignore: !hasChromium() || (options.embeddedOnly === true && Deno.env.get("DATABASE_URL") !== undefined),
    // playwright keeps sockets and timers of its own between steps
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      const app = await start();
      try {
        const browser = await launchBrowser();
        try {
          await fn(app, browser, t);
        } finally {
          await closeWithin(browser, 10_000);
        }
      } finally {
        await app.stop();
      }
    },
  });
}

// A browser that does not close (a stuck renderer) must not hold up the rest of the suite
async function closeWithin(browser: Browser, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([
    browser.close().then(() => true),
    new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms)),
  ]);
  clearTimeout(timer);
  if (!closed) console.error(`chromium did not close within ${ms} ms; going on`);
}
