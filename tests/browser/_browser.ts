// Shared set-up for browser tests: Debian's chromium driven by playwright-core (no browser download).
import { type Browser, chromium } from "playwright-core";

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
