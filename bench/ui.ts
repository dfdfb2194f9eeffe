/**
 * `deno task bench ui`: per page, the server's render time (p50/p99 of full GET requests over
 * loopback, signed in as a manager, on the sample shop, after one cold request) and the JavaScript
 * the page makes the browser load (boot script, island bundles and shared chunks, raw and gzipped),
 * measured in headless chromium. `--requests N` sets the requests per page (default 60).
 */
import { signInOverHttp } from "../server/auth/_auth_fixtures.ts";
import { hasChromium, launchBrowser } from "../tests/browser/_browser.ts";
import { startSampleApp } from "../tests/browser/_sample_app.ts";
import { signIn } from "../tests/browser/_sign_in.ts";

const pages = ["/", "/analytics", "/inventory", "/transactions", "/products", "/alerts"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function gzipSize(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

interface PageFigures {
  path: string;
  coldMs: number;
  p50: number;
  p99: number;
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
}

export async function run(args: string[]): Promise<void> {
  const index = args.indexOf("--requests");
  const requests = index >= 0 ? Number(args[index + 1]) : 60;
  const started = performance.now();
  const app = await startSampleApp();
  console.log(`sample shop ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const figures: PageFigures[] = [];
  try {
    const session = await signInOverHttp(app, "manager");
    for (const path of pages) {
      const timeOne = async () => {
        const start = performance.now();
        const response = await app.fetch(path, { headers: { cookie: session.cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        return performance.now() - start;
      };
      const coldMs = await timeOne();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push(await timeOne());
      times.sort((a, b) => a - b);
      figures.push({
        path,
        coldMs,
        p50: percentile(times, 0.5),
        p99: percentile(times, 0.99),
        scripts: 0,
        rawBytes: 0,
        gzipBytes: 0,
      });
    }

    if (hasChromium()) {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await signIn(page, app.url, "manager", "/");
        for (const entry of figures) {
          // request URLs, not response bodies: a cached script fires no body, but the page still runs it
          const urls = new Set<string>();
          const listener = (request: import("playwright-core").Request) => {
            if (request.resourceType() === "script") urls.add(request.url());
          };
          page.on("request", listener);
          await page.goto(`${app.url}${entry.path}`, { waitUntil: "networkidle" });
          page.off("request", listener);
          for (const url of urls) {
            const body = new Uint8Array(await (await fetch(url)).arrayBuffer());
            entry.scripts += 1;
            entry.rawBytes += body.byteLength;
            entry.gzipBytes += await gzipSize(body);
          }
        }
      } finally {
        await browser.close();
      }
    } else {
      console.log("chromium not found: JavaScript sizes not measured");
    }
  } finally {
    await app.stop();
  }

  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(`\nserver render (GET over loopback, ${requests} warm requests per page after one cold one)`);
  console.log(
    "page".padEnd(14) + "cold ms".padStart(9) + "p50 ms".padStart(9) + "p99 ms".padStart(9) +
      "js files".padStart(10) + "js KB".padStart(9) + "js KB gz".padStart(10),
  );
  for (const f of figures) {
    console.log(
      f.path.padEnd(14) + f.coldMs.toFixed(1).padStart(9) + f.p50.toFixed(1).padStart(9) +
        f.p99.toFixed(1).padStart(9) + String(f.scripts).padStart(10) + kb(f.rawBytes).padStart(9) +
        kb(f.gzipBytes).padStart(10),
    );
  }
  const worst = figures.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  const heaviest = figures.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  console.log(
    `summary: slowest p99 ${worst.p99.toFixed(1)} ms (${worst.path}); heaviest JavaScript ` +
      `${kb(heaviest.gzipBytes)} KB gzipped (${heaviest.path})`,
  );
}
