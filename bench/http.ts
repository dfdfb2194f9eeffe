/**
 * `deno task bench http [--seconds 10]`: the request path at the machine's speed, measured from
 * outside with `wrk` and set beside what the machine can do in the same run (ratios, not absolute
 * figures, are what compare between runs on a shared machine):
 *
 * - a bare `Deno.serve` answering 2 KB of JSON vs the app's cached `GET /api/v1/dashboard/overview`
 *   (bearer token) and the anonymous 401 of the same path, 100 connections;
 * - `pgbench` single-row inserts (16 clients) vs `POST /api/v1/transactions` at 64 connections with
 *   random customers and products;
 * - the flash sale: 64 connections buying one product, then a sell-out round on a product with
 *   little stock; `oversold` comes from the database (units sold vs the starting stock);
 * - for each sales run, the CPU a sale of the app (its process group) and of the `postgres` processes when
 *   the database is on this machine: which half of a sale to work on.
 *
 * The app runs as a child in its own process group on a fresh PostgreSQL database (DATABASE_URL's
 * server, default postgres://postgres@127.0.0.1:5432/postgres) and Redis (REDIS_URL, default
 * redis://127.0.0.1:6379), with rate limits and jobs off. Loopback only; every run is bounded.
 */
import { parseArgs } from "node:util";
import { connect } from "../server/db/sql.ts";
import { managerToken, type ServerProcess, spawnServer, startAppProcess } from "./_app_process.ts";
import { cpuSecondsNow } from "./_process_cpu.ts";

/** What one wrk run reports. */
export interface WrkFigures {
  requests: number;
  seconds: number;
  /** responses outside 2xx/3xx */
  failed: number;
  /** successful responses per second */
  rps: number;
  p99Ms: number;
}

/** Parses wrk's `--latency` report. */
export function parseWrk(output: string): WrkFigures {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(output);
  if (!total) throw new Error(`wrk printed no totals:\n${output}`);
  const requests = Number(total[1]);
  const seconds = Number(total[2]) * { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as "s"];
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) +
    Number(
      /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)?.slice(1)
        .reduce((sum, n) => sum + Number(n), 0) ?? 0,
    );
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)/m.exec(output);
  const p99Ms = p99 ? Number(p99[1]) * { us: 1e-3, ms: 1, s: 1000 }[p99[2] as "ms"] : NaN;
  return { requests, seconds, failed, rps: (requests - failed) / seconds, p99Ms };
}

async function hasCommand(name: string): Promise<boolean> {
  const { success } = await new Deno.Command("sh", { args: ["-c", `command -v ${name}`], stdout: "null" })
    .output();
  return success;
}

async function wrk(url: string, options: {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  script?: string;
}): Promise<WrkFigures> {
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "--timeout", "5s"];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  if (options.script) args.push("-s", options.script);
  const { stdout, stderr, success } = await new Deno.Command("wrk", { args: [...args, url] }).output();
  const output = new TextDecoder().decode(stdout);
  if (!success) throw new Error(`wrk failed: ${new TextDecoder().decode(stderr)}`);
  return parseWrk(output);
}

/** A wrk script posting one-unit sales of random customers and products from the given lists. */
function saleScript(token: string, customerIds: number[], productIds: number[]): string {
  return `wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer ${token}"
local customers = {${customerIds.join(",")}}
local products = {${productIds.join(",")}}
request = function()
  local body = '{"customerId": ' .. customers[math.random(#customers)] .. ', "items": [{"productId": ' ..
    products[math.random(#products)] .. ', "quantity": 1}], "paymentMethod": "card"}'
  return wrk.format(nil, nil, nil, body)
end
`;
}

async function startHelloJson(): Promise<ServerProcess> {
  // The same 2 KB body as ../shared/tools/http_side_by_side.sh
  const code = `const body = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: i, ` +
    `name: "product-" + i, revenueCents: 123456 + i, units: 42, category: "Phones", share: 0.123 })) });` +
    `Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => ` +
    `console.log("listening on http://127.0.0.1:" + port) }, () => new Response(body, ` +
    `{ headers: { "content-type": "application/json" } }));`;
  return await spawnServer(["eval", code], {}, async () => {});
}

async function pgbenchTps(databaseUrl: string, seconds: number): Promise<number> {
  const url = new URL(databaseUrl);
  const dir = await Deno.makeTempDir({ prefix: "techmart-bench-http-" });
  try {
    const file = `${dir}/insert.sql`;
    await Deno.writeTextFile(
      file,
      "insert into bench_http_insert (customer_id, total_cents, status) values (1, 1000, 'completed');\n",
    );
    const { stdout, stderr, success } = await new Deno.Command("pgbench", {
      args: [
        "-h",
        url.hostname,
        "-p",
        url.port || "5432",
        "-U",
        decodeURIComponent(url.username || "postgres"),
        "-n",
        "-c16",
        "-j2",
        `-T${seconds}`,
        "-f",
        file,
        url.pathname.slice(1),
      ],
      env: url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {},
    }).output();
    const output = new TextDecoder().decode(stdout);
    if (!success) throw new Error(`pgbench failed: ${new TextDecoder().decode(stderr)}`);
    const tps = /tps = ([\d.]+)/.exec(output);
    if (!tps) throw new Error(`pgbench printed no tps:\n${output}`);
    return Number(tps[1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function loadAverage(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { seconds: { type: "string", default: "10" } } });
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60) {
    throw new Error("--seconds needs a whole number from 1 to 60");
  }
  for (const [command, pkg] of [["wrk", "wrk"], ["pgbench", "postgresql-client"]]) {
    if (!(await hasCommand(command))) {
      console.error(`${command} is missing: apt-get install -y ${pkg}`);
      Deno.exit(2);
    }
  }
  const env = {
    DATABASE_URL: Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres",
    REDIS_URL: Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379",
  };
  // startAppProcess makes the fresh database on the server DATABASE_URL names
  Deno.env.set("DATABASE_URL", env.DATABASE_URL);
  console.log(`load average before: ${await loadAverage()}`);
  const app = await startAppProcess("http", { sockets: 10, env });
  const hello = await startHelloJson();
  const sql = connect(app.databaseUrl!, { max: 2 });
  try {
    const token = await managerToken(app.url, "bench-http");
    const overview = `${app.url}/api/v1/dashboard/overview`;
    const auth = { authorization: `Bearer ${token}` };
    // warm both servers and the cache, then a short run of each at full load, as the sales get below: the
    // first second of a cold server's run (its code not yet optimised) is not what either does afterwards
    for (let i = 0; i < 3; i++) {
      await (await fetch(overview, { headers: auth })).arrayBuffer();
      await (await fetch(hello.url)).arrayBuffer();
    }
    await wrk(hello.url, { connections: 100, seconds: 2 });
    await wrk(overview, { connections: 100, seconds: 2, headers: auth });

    const helloRun = await wrk(hello.url, { connections: 100, seconds });
    const overviewRun = await wrk(overview, { connections: 100, seconds, headers: auth });
    const anonymousRun = await wrk(overview, { connections: 100, seconds: Math.ceil(seconds / 2) });
    // the 401s are the point of that run: count them as answers
    const anonymousRps = anonymousRun.requests / anonymousRun.seconds;
    console.log(
      `hello JSON @100: ${fixed(helloRun.rps)} req/s p99 ${fixed(helloRun.p99Ms, 2)} ms\n` +
        `cached overview @100: ${fixed(overviewRun.rps)} req/s p99 ${fixed(overviewRun.p99Ms, 2)} ms ` +
        `(${overviewRun.failed} failed)\n` +
        `anonymous 401 @100: ${fixed(anonymousRps)} req/s p99 ${fixed(anonymousRun.p99Ms, 2)} ms ` +
        `ratio ${fixed(anonymousRps / helloRun.rps, 2)}`,
    );

    const unitsSold = async (productId: number) => {
      const [row] = await sql<{ sold: string }[]>`
        select coalesce(sum(i.quantity), 0) as sold
        from transaction_items i join transactions t on t.id = i.transaction_id
        where i.product_id = ${productId} and t.status not in ('blocked', 'declined')`;
      return Number(row.sold);
    };
    const customerIds = (await sql<{ id: number }[]>`select id from customers order by id limit 2000`)
      .map((row) => Number(row.id));
    const productIds = (await sql<{ id: number }[]>`
      select id from products where is_active order by id limit 200`).map((row) => Number(row.id));
    if (customerIds.length === 0 || productIds.length < 2) throw new Error("The sample shop is empty");
    const flashProduct = productIds[0];
    const sellOutProduct = productIds[1];
    const randomProducts = productIds.slice(2);
    const startingStock = 1_000_000;
    const sellOutStock = 300;
    await sql`update products set stock_quantity = ${startingStock} where id = any(${
      sql.array(productIds)
    }::bigint[])`;
    await sql`update products set stock_quantity = ${sellOutStock} where id = ${sellOutProduct}`;
    const soldBefore = new Map<number, number>();
    for (const id of [flashProduct, sellOutProduct]) soldBefore.set(id, await unitsSold(id));
    // Units sold during the run of a contested product against its starting stock, from the rows themselves
    const oversold = async (productId: number, start: number, before: number) => {
      const sold = await unitsSold(productId) - before;
      const [{ stock }] = await sql<{ stock: number }[]>`
        select stock_quantity as stock from products where id = ${productId}`;
      const drift = Math.abs(start - sold - stock);
      console.log(
        `product ${productId}: started with ${start}, sold ${sold}, stock now ${stock}` +
          (drift ? ` (stock and sales disagree by ${drift})` : ""),
      );
      return Math.max(0, sold - start) + drift;
    };

    // What the sale path costs the database, whatever the machine's load: its transactions (every statement
    // outside an explicit transaction is one) per sale, the alerts and their routing included. A busy
    // PostgreSQL backend reports its counts every second, an idle one within ten (PGSTAT_IDLE_INTERVAL)
    const statementsSoFar = async () => {
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      const [row] = await sql<{ transactions: number; last_id: number }[]>`
        select (select xact_commit + xact_rollback from pg_stat_database where datname = current_database())
            as transactions,
          (select coalesce(max(id), 0) from transactions) as last_id`;
      return { transactions: Number(row.transactions), lastId: Number(row.last_id) };
    };
    const statementsSince = async (start: { transactions: number; lastId: number }) => {
      const at = await statementsSoFar();
      const [row] = await sql<{ sales: number; reviewed: number }[]>`
        select count(*)::int as sales, (count(*) filter (where fraud_decision <> 'allow'))::int as reviewed
        from transactions where id > ${start.lastId} and id <= ${at.lastId}`;
      // (the bench's own reads add one or two to thousands)
      return {
        sales: row.sales,
        reviewed: row.reviewed,
        transactions: at.transactions - start.transactions,
        at,
      };
    };

    const dir = await Deno.makeTempDir({ prefix: "techmart-bench-http-" });
    let createRun: WrkFigures, flashRun: WrkFigures, sellOutRun: WrkFigures;
    try {
      const scripts = {
        random: `${dir}/random.lua`,
        flash: `${dir}/flash.lua`,
        sellOut: `${dir}/sell_out.lua`,
      };
      await Deno.writeTextFile(scripts.random, saleScript(token, customerIds, randomProducts));
      await Deno.writeTextFile(scripts.flash, saleScript(token, customerIds, [flashProduct]));
      await Deno.writeTextFile(scripts.sellOut, saleScript(token, customerIds, [sellOutProduct]));
      const sales = `${app.url}/api/v1/transactions`;
      // Warm the sale path first, as the reads were warmed: the first seconds of a fresh process (JIT, the
      // per-instance copies of the model, norms and usual quantities) put 1.4-2.9 s into the measured p99
      // of the first sales run, against 0.3 s for the same code warm. Random products only: the two
      // contested products' counts are untouched
      await wrk(sales, { connections: 64, seconds: 3, script: scripts.random });
      const before = await statementsSoFar();
      // the CPU each side spent on the run alone (not on the statistics' wait after it)
      const cpuOf = async (run: () => Promise<WrkFigures>) => {
        const start = cpuSecondsNow(app.pid);
        const figures = await run();
        const end = cpuSecondsNow(app.pid);
        return {
          figures,
          app: end.app - start.app,
          database: end.databaseSeen ? end.database - start.database : NaN,
        };
      };
      const randomCpu = await cpuOf(() => wrk(sales, { connections: 64, seconds, script: scripts.random }));
      createRun = randomCpu.figures;
      const random = await statementsSince(before);
      const flashCpu = await cpuOf(() => wrk(sales, { connections: 64, seconds, script: scripts.flash }));
      flashRun = flashCpu.figures;
      const flash = await statementsSince(random.at);
      for (
        const [name, run, cpu] of [["random", random, randomCpu], ["one product", flash, flashCpu]] as const
      ) {
        const perSale = (seconds: number) => fixed(seconds * 1e6 / Math.max(1, run.sales));
        console.log(
          `sales @64 (${name}): ${run.sales} sales, ${
            fixed(run.reviewed / Math.max(1, run.sales) * 100)
          } % ` +
            `under review, ${
              fixed(run.transactions / Math.max(1, run.sales), 2)
            } database transactions per sale; CPU a sale: app ${perSale(cpu.app)} µs` +
            (Number.isNaN(cpu.database) ? "" : `, database ${perSale(cpu.database)} µs (local postgres)`),
        );
      }
      sellOutRun = await wrk(sales, { connections: 64, seconds: 3, script: scripts.sellOut });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }

    await sql`create table bench_http_insert (id bigserial primary key, customer_id int, total_cents int,
      status text, created_at timestamptz default now())`;
    const tps = await pgbenchTps(app.databaseUrl!, seconds);

    const oversoldUnits = await oversold(flashProduct, startingStock, soldBefore.get(flashProduct)!) +
      await oversold(sellOutProduct, sellOutStock, soldBefore.get(sellOutProduct)!);

    console.log(
      `create @64 (random): ${fixed(createRun.rps)} /s p99 ${fixed(createRun.p99Ms, 2)} ms ` +
        `(${createRun.failed} failed)\n` +
        `create @64 (one product): ${fixed(flashRun.rps)} /s p99 ${fixed(flashRun.p99Ms, 2)} ms ` +
        `(${flashRun.failed} failed)\n` +
        `sell-out @64 (${sellOutStock} in stock): ${sellOutRun.requests} requests, ` +
        `${sellOutRun.requests - sellOutRun.failed} answered 2xx (blocked attempts included)\n` +
        `pgbench single-row insert @16: ${fixed(tps)} /s\n` +
        `load average after: ${await loadAverage()}`,
    );
    console.log(
      `http hello_rps=${fixed(helloRun.rps)} overview_rps=${fixed(overviewRun.rps)} ` +
        `ratio=${fixed(overviewRun.rps / helloRun.rps, 2)} p99_ms=${fixed(overviewRun.p99Ms, 2)}`,
    );
    console.log(
      `create rps=${fixed(createRun.rps)} pgbench_tps=${fixed(tps)} ratio=${fixed(createRun.rps / tps, 2)} ` +
        `p99_ms=${fixed(createRun.p99Ms, 2)}`,
    );
    console.log(
      `flash rps=${fixed(flashRun.rps)} p99_ms=${fixed(flashRun.p99Ms, 2)} oversold=${oversoldUnits}`,
    );
  } finally {
    await sql.end();
    await hello.stop();
    await app.stop();
  }
}
