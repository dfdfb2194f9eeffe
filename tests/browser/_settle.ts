// Waiting for a page to be still, the way a reader would: no request of its own on the way, every
// island hydrated. `waitForLoadState("networkidle")` alone is not enough: it resolves at once once the
// document has been idle before, so a form's fetch (and the reload some islands do after saving) would
// still be running when the test reads the page.
import type { Page } from "playwright-core";

const inFlight = new WeakMap<Page, { count: number; lastEnded: number }>();

function watch(page: Page): { count: number; lastEnded: number } {
  const known = inFlight.get(page);
  if (known) return known;
  const watched = { count: 0, lastEnded: performance.now() };
  const ended = () => {
    watched.count = Math.max(0, watched.count - 1);
    watched.lastEnded = performance.now();
  };
  page.on("request", () => watched.count++);
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  inFlight.set(page, watched);
  return watched;
}

/**
 * Resolves once the page has sent nothing for `quietMs` (a mutation's answer, and a navigation it
 * starts, both count), has loaded, and every island on it is hydrated. Start watching early with
 * `watchRequests(page)` right after opening the page, so requests already on their way are counted.
 */
export async function settle(page: Page, quietMs = 250): Promise<void> {
  const state = watch(page);
  const deadline = performance.now() + 30_000;
  for (;;) {
    while (state.count > 0 || performance.now() - state.lastEnded < quietMs) {
      if (performance.now() > deadline) {
        throw new Error(`page still busy after 30 s (${state.count} requests)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      await page.waitForLoadState("load");
      await page.waitForFunction(() =>
        [...document.querySelectorAll("[data-island]")].every((el) => (el as HTMLElement).dataset.hydrated)
      );
      // a navigation that began while we checked means the page is not still yet
      if (state.count === 0) return;
    } catch (error) {
      if (!/Execution context was destroyed|navigation/i.test((error as Error).message)) throw error;
    }
  }
}

/** Counts the page's requests from now on (call it right after `browser.newPage()`). */
export function watchRequests(page: Page): void {
  watch(page);
}
