/**
 * `deno task bench api [--seconds=N] [--max=N] [--levels=1,64,1000]`: starts the app on the sample
 * data and a hello-world `Deno.serve`, then measures requests/s and p50/p99 latency over REST at
 * each number of concurrent connections (each connection sends its next request when the last
 * answered), for: the hello-world server, `dashboard.overview` cached and uncached,
 * `analytics.hourlySales` and transaction creation. Each cell runs for at most `--seconds` (2) and
 * `--max` requests (20,000), on 127.0.0.1 only. The load comes from the same process as the
 * servers, for every row alike: compare rows with the hello-world one rather than read absolute
 * numbers. With DATABASE_URL (and REDIS_URL) set it runs on that server, else on the embedded one.
 * Ends with one summary line.
 */
import { insertApiToken } from "../server/auth/api_tokens.ts";
import { invalidate } from "../server/cache.ts";
import { seedSampleData } from "../server/import/seed.ts";
import { startTestApp } from "../server/testing/test_app.ts";
import { appRouter } from "../server/api/app_router.ts";

interface Target {
  name: string;
  /** short name for the summary line */
  key: string;
  /** the procedure it exercises, to skip the row when that procedure is not there yet */
  procedure?: string;
  /** the request; `index` counts requests within the cell */
  request(index: number): { url: string; init?: RequestInit };
  /** runs before each request (outside its timing) */
  before?: () => Promise<void>;
  /** answers that count as successes */
  ok?: (status: number) => boolean;
}

interface Cell {
  requests: number;
  errors: number;
  seconds: number;
  latencies: Float64Array;
  cacheHits: number;
  firstError?: string;
}

function option(args: string[], name: string, fallback: string): string {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

async function measure(
  target: Target,
  concurrency: number,
  limits: { seconds: number; maxRequests: number },
  client: Deno.HttpClient,
): Promise<Cell> {
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let cacheHits = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + limits.seconds * 1000;
  const ok = target.ok ?? ((status: number) => status >= 200 && status < 300);
  async function connection() {
    while (performance.now() < deadline && issued < limits.maxRequests) {
      const index = issued++;
      await target.before?.();
      const { url, init } = target.request(index);
      const t0 = performance.now();
      try {
        // `client` is Deno's own RequestInit field, which the "dom" lib's type does not know
        const response = await fetch(
          url,
          { ...init, client, signal: AbortSignal.timeout(30_000) } as RequestInit,
        );
        const body = await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.headers.get("x-cache") === "hit") cacheHits++;
        if (!ok(response.status)) {
          errors++;
          firstError ??= `${response.status} ${new TextDecoder().decode(body).slice(0, 160)}`;
        }
      } catch (error) {
        latencies.push(performance.now() - t0);
        errors++;
        firstError ??= String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, connection));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    errors,
    seconds,
    latencies: Float64Array.from(latencies).sort(),
    cacheHits,
    firstError,
  };
}

function hasProcedure(path: string): boolean {
  return path in (appRouter._def.procedures as Record<string, unknown>);
}

/** Prints the table; the argument list is documented at the top of this file. */
export async function run(args: string[]): Promise<void> {
  const limits = {
    seconds: Number(option(args, "seconds", "2")),
    maxRequests: Number(option(args, "max", "20000")),
  };
  const levels = option(args, "levels", "1,64,1000").split(",").map(Number);

  const hello = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("Hello"),
  );
  const helloUrl = `http://127.0.0.1:${hello.addr.port}/`;
  let token = "";
  let productIds: number[] = [];
  let customerIds: number[] = [];
  const loadStarted = performance.now();
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0", HOST: "127.0.0.1" },
    prepare: async (services) => {
      await seedSampleData(services.db.sql);
      const sql = services.db.sql;
      // Creation must not run out of stock mid-bench: every sale would become a 409
      await sql`update products set stock_quantity = 1000000 where is_active`;
      productIds = (await sql<{ id: number }[]>`
        select id from products where is_active order by id limit 50`).map((row) => row.id);
      customerIds = (await sql<{ id: number }[]>`select id from customers order by id limit 200`).map((row) =>
        row.id
      );
      token = (await insertApiToken(sql, { name: "bench", role: "manager", createdBy: 0 })).token;
    },
  });
  console.log(
    `app on ${app.url} (${app.services.db.kind} database, ${
      Deno.env.get("REDIS_URL") ? "redis" : "in-process"
    } cache), sample data loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
  );
  const authorization = { authorization: `Bearer ${token}` };
  const targets: Target[] = [
    { name: "hello world (Deno.serve)", key: "hello", request: () => ({ url: helloUrl }) },
    {
      name: "dashboard.overview cached",
      key: "overview_cached",
      procedure: "dashboard.overview",
      request: () => ({ url: `${app.url}/api/v1/dashboard/overview`, init: { headers: authorization } }),
    },
    {
      name: "dashboard.overview uncached",
      key: "overview_uncached",
      procedure: "dashboard.overview",
      // retire the cached overview before each request; concurrent requests may still share one load
      before: () => invalidate(app.services.kv, ["dashboard"]),
      request: () => ({ url: `${app.url}/api/v1/dashboard/overview`, init: { headers: authorization } }),
    },
    {
      name: "analytics.hourlySales",
      key: "hourly_sales",
      procedure: "analytics.hourlySales",
      request: () => ({ url: `${app.url}/api/v1/analytics/hourly-sales`, init: { headers: authorization } }),
    },
    {
      name: "transactions.create",
      key: "create_transaction",
      procedure: "transactions.create",
      request: (index) => ({
        url: `${app.url}/api/v1/transactions`,
        init: {
          method: "POST",
          headers: { ...authorization, "content-type": "application/json" },
          body: JSON.stringify({
            customerId: customerIds[index % customerIds.length],
            items: [{ productId: productIds[index % productIds.length], quantity: 1 }],
            paymentMethod: "card",
          }),
        },
      }),
    },
  ];

  const client = Deno.createHttpClient({});
  const header = [
    "target",
    "conns",
    "requests",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "x-cache hit",
    "vs hello",
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  const helloRate = new Map<number, number>();
  const summary: string[] = [];
  try {
    for (const target of targets) {
      if (target.procedure && !hasProcedure(target.procedure)) {
        notes.push(`${target.name}: skipped, the procedure ${target.procedure} does not exist yet`);
        continue;
      }
      // one untimed request warms code paths and the cache for the cached row
      const warm = target.request(0);
      await (await fetch(warm.url, { ...warm.init, client } as RequestInit)).arrayBuffer();
      for (const concurrency of levels) {
        const cell = await measure(target, concurrency, limits, client);
        const rate = cell.requests / cell.seconds;
        if (!target.procedure) helloRate.set(concurrency, rate);
        const baseline = helloRate.get(concurrency);
        rows.push([
          target.name,
          String(concurrency),
          String(cell.requests),
          rate.toFixed(0),
          percentile(cell.latencies, 0.5).toFixed(2),
          percentile(cell.latencies, 0.99).toFixed(2),
          String(cell.errors),
          target.procedure ? `${((100 * cell.cacheHits) / Math.max(1, cell.requests)).toFixed(0)}%` : "-",
          baseline && target.procedure ? `${((100 * rate) / baseline).toFixed(1)}%` : "-",
        ]);
        if (cell.firstError) notes.push(`${target.name} @${concurrency}: first error ${cell.firstError}`);
        if (concurrency === 64) summary.push(`${target.key}=${rate.toFixed(0)}rps`);
      }
    }
  } finally {
    client.close();
    await app.stop();
    await hello.shutdown();
  }

  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`summary at 64 connections: ${summary.join(" ")}`);
}

if (import.meta.main) await run(Deno.args);
