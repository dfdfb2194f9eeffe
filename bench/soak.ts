import { site } from "../fresh.config.ts";
/**
 * `deno task bench soak [--minutes 10] [--workers 8]`: two app instances on a private PostgreSQL and a
 * private Redis (throwaway servers on free ports; the machine's shared ones are never touched) under
 * moderate mixed load, with a Redis restart and a PostgreSQL restart in the middle. Clients retry a
 * refused create with the same Idempotency-Key, as a real client would. At the end: every
 * acknowledged sale must be in the database exactly once, stock must add up, and memory must be flat.
 */
import { parseArgs } from "node:util";
import { insertApiToken } from "../server/auth/api_tokens.ts";
import { loadConfig } from "../server/config.ts";
import { connect } from "../server/db/sql.ts";
import type { Logger } from "../server/log.ts";
import { type RunningApp, startApp } from "../server/app/start.ts";
import { startPrivatePostgres, startPrivateRedis } from "../tests/faults/_servers.ts";

interface Figures {
  requests: number;
  byStatus: Map<number | string, number>;
  createMs: number[];
  acknowledged: Map<string, number>;
  retries: number;
}

const products = 20;
const initialStock = 1_000_000_000;

/** Runs the soak and prints its figures; exits non-zero when a sale was lost or duplicated. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { minutes: { type: "string", default: "10" }, workers: { type: "string", default: "8" } },
  });
  const minutes = Number(values.minutes);
  const workers = Number(values.workers);
  if (!(minutes > 0) || !(workers > 0)) throw new Error("--minutes and --workers must be positive numbers");
  const durationMs = minutes * 60_000;

  const pg = await startPrivatePostgres();
  const redis = await startPrivateRedis();
  const env = {
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    PORT: "0",
    JOBS: "off",
    SEED_SAMPLE_DATA: "never",
    RATE_LIMIT_PER_MINUTE: "0",
    LOG_LEVEL: "error",
  };
  const errorLines = new Map<string, number>();
  const log = countingLogger(errorLines);
  const apps: RunningApp[] = [];
  const admin = connect(pg.url, { max: 2 });
  try {
    apps.push(await startApp(loadConfig(env), { log, site }));
    apps.push(await startApp(loadConfig(env), { log, site }));
    const productIds: number[] = [];
    for (let i = 0; i < products; i++) {
      const [row] = await admin<[{ id: number }]>`
        insert into products (sku, name, category, price_cents, stock_quantity, reorder_point)
        values (${`SOAK-${i}`}, ${`Soak product ${i}`}, 'Accessories', ${500 + i}, ${initialStock}, 0)
        returning id`;
      productIds.push(row.id);
    }
    const customerIds = (await admin<{ id: number }[]>`
      insert into customers (code, name, created_at)
      select 'SOAK-C' || n, 'Soak customer ' || n, now() - interval '1 year' from generate_series(1, 50) n
      returning id`).map((row) => row.id);
    const { token } = await insertApiToken(admin, { name: "soak", role: "manager", createdBy: 0 });

    const figures: Figures = {
      requests: 0,
      byStatus: new Map(),
      createMs: [],
      acknowledged: new Map(),
      retries: 0,
    };
    const memory: { atMs: number; heapMb: number; rssMb: number }[] = [];
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let running = true;

    const sampler = setInterval(() => {
      const usage = Deno.memoryUsage();
      memory.push({ atMs: elapsed(), heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 });
    }, 5_000);

    const faults = (async () => {
      const events: string[] = [];
      await sleepUntil(() => elapsed() >= durationMs * 0.3, () => running);
      if (!running) return events;
      await redis.stop();
      events.push(`${(elapsed() / 1000).toFixed(0)} s: Redis stopped`);
      await sleep(Math.min(10_000, durationMs * 0.05));
      await redis.start();
      events.push(`${(elapsed() / 1000).toFixed(0)} s: Redis started (empty)`);
      await sleepUntil(() => elapsed() >= durationMs * 0.6, () => running);
      if (!running) return events;
      await pg.stop();
      events.push(`${(elapsed() / 1000).toFixed(0)} s: PostgreSQL stopped`);
      await sleep(Math.min(10_000, durationMs * 0.05));
      await pg.start();
      events.push(`${(elapsed() / 1000).toFixed(0)} s: PostgreSQL started`);
      return events;
    })();

    const request = async (
      app: RunningApp,
      path: string,
      init: RequestInit = {},
    ): Promise<Response | null> => {
      figures.requests++;
      try {
        const response = await fetch(new URL(path, app.url), {
          ...init,
          headers: { Authorization: `Bearer ${token}`, ...init.headers },
          signal: AbortSignal.timeout(30_000),
        });
        figures.byStatus.set(response.status, (figures.byStatus.get(response.status) ?? 0) + 1);
        return response;
      } catch (error) {
        const name = (error as Error).name;
        figures.byStatus.set(name, (figures.byStatus.get(name) ?? 0) + 1);
        return null;
      }
    };

    const worker = async (index: number): Promise<void> => {
      let sequence = 0;
      while (running) {
        const app = apps[(index + sequence) % apps.length];
        if (sequence % 3 === 2) {
          const path = sequence % 2 ? "/api/v1/dashboard/overview" : "/api/v1/products?limit=20";
          (await request(app, path))?.body?.cancel();
        } else {
          const key = `soak-${index}-${sequence}`;
          const body = JSON.stringify({
            customerId: customerIds[(index * 7 + sequence) % customerIds.length],
            items: [{ productId: productIds[sequence % products], quantity: 1 + (sequence % 3) }],
            paymentMethod: "card",
          });
          // A client that got no answer, or a 503, retries the same sale with the same key
          for (let attempt = 0; running || attempt === 0; attempt++) {
            if (attempt > 0) {
              figures.retries++;
              await sleep(Math.min(2_000, 100 * 2 ** attempt));
            }
            const target = apps[(index + sequence + attempt) % apps.length];
            const begin = performance.now();
            const response = await request(target, "/api/v1/transactions", {
              method: "POST",
              headers: { "Content-Type": "application/json", "Idempotency-Key": key },
              body,
            });
            if (response && (response.status === 201 || response.status === 200)) {
              figures.createMs.push(performance.now() - begin);
              const { id } = await response.json();
              const earlier = figures.acknowledged.get(key);
              if (earlier !== undefined && earlier !== id) {
                throw new Error(`Key ${key} answered ${earlier} and ${id}`);
              }
              figures.acknowledged.set(key, id);
              break;
            }
            await response?.body?.cancel();
            if (response && response.status < 500 && response.status !== 429) break; // refused for good
          }
        }
        sequence++;
        await sleep(50);
      }
    };

    const progress = setInterval(() => {
      console.log(
        `  ${
          (elapsed() / 1000).toFixed(0)
        } s: ${figures.requests} requests, ${figures.acknowledged.size} sales acknowledged`,
      );
    }, 60_000);
    const load = Array.from({ length: workers }, (_, i) => worker(i));
    await sleep(durationMs);
    running = false;
    await Promise.all(load);
    clearInterval(progress);
    clearInterval(sampler);
    const events = await faults;

    // Every acknowledged sale, exactly once, with the id the client was given
    const rows = await admin<{ key: string; id: number; quantity: number }[]>`
      select t.idempotency_key as key, t.id, coalesce(sum(i.quantity), 0)::int as quantity
      from transactions t left join transaction_items i on i.transaction_id = t.id
      where t.idempotency_key like 'soak-%' group by t.id`;
    const stored = new Map(rows.map((row) => [row.key, row]));
    const lost = [...figures.acknowledged].filter(([key, id]) => stored.get(key)?.id !== id);
    const [duplicates] = await admin<[{ n: number }]>`
      select count(*)::int as n from (select idempotency_key from transactions
        where idempotency_key like 'soak-%' group by idempotency_key having count(*) > 1) d`;
    const unacknowledged = rows.filter((row) => !figures.acknowledged.has(row.key)).length;
    const [stock] = await admin<[{ sold: number; taken: number }]>`
      select (select coalesce(sum(i.quantity), 0)::int from transaction_items i join transactions t
          on t.id = i.transaction_id where t.status in ('completed', 'pending')
          and i.product_id = any(${admin.array(productIds)}::bigint[])) as sold,
        (select sum(${initialStock}::bigint - stock_quantity)::int from products
          where id = any(${admin.array(productIds)}::bigint[])) as taken`;

    const seconds = elapsed() / 1000;
    const sorted = [...figures.createMs].sort((a, b) => a - b);
    const quantile = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
    const window = Math.max(1, Math.floor(memory.length / 5));
    const average = (items: typeof memory, field: "heapMb" | "rssMb") =>
      items.reduce((sum, item) => sum + item[field], 0) / Math.max(1, items.length);
    // The first minute warms caches and JIT: memory is compared from after it to the end
    const settled = memory.filter((m) => m.atMs > Math.min(60_000, durationMs / 4));
    const early = settled.slice(0, window);
    const late = settled.slice(-window);
    const heapGrowth = average(late, "heapMb") / Math.max(1, average(early, "heapMb")) - 1;

    console.log(`soak: ${minutes} min, ${workers} workers, 2 instances, private PostgreSQL + Redis`);
    for (const event of events) console.log(`  ${event}`);
    console.log(`  requests: ${figures.requests} (${(figures.requests / seconds).toFixed(1)}/s)`);
    console.log(
      `  answers: ${
        [...figures.byStatus].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
          .map(([status, n]) => `${status}=${n}`).join(" ")
      }`,
    );
    console.log(
      `  sales acknowledged: ${figures.acknowledged.size}, client retries: ${figures.retries}, ` +
        `create p50 ${quantile(0.5).toFixed(1)} ms, p99 ${quantile(0.99).toFixed(1)} ms`,
    );
    console.log(
      `  stored exactly once: ${figures.acknowledged.size - lost.length}, lost: ${lost.length}, ` +
        `duplicated: ${duplicates.n}, written but never acknowledged (client gave up at the end): ${unacknowledged}`,
    );
    console.log(
      `  stock taken ${stock.taken} = units sold ${stock.sold}: ${stock.taken === stock.sold ? "yes" : "NO"}`,
    );
    console.log(
      `  memory (heap used, MB): ${average(early, "heapMb").toFixed(1)} early -> ${
        average(late, "heapMb").toFixed(1)
      } late (${(heapGrowth * 100).toFixed(1)}%); rss ${average(early, "rssMb").toFixed(0)} -> ${
        average(late, "rssMb").toFixed(0)
      } MB`,
    );
    console.log(
      `  error log lines: ${[...errorLines].map(([message, n]) => `${message}=${n}`).join(", ") || "none"}`,
    );
    const ok = lost.length === 0 && duplicates.n === 0 && stock.taken === stock.sold;
    console.log(`soak ${ok ? "passed" : "FAILED"}: ${lost.length} lost, ${duplicates.n} duplicated sales`);
    if (!ok) Deno.exitCode = 1;
  } finally {
    for (const app of apps) await app.stop().catch(() => {});
    await admin.end({ timeout: 1 }).catch(() => {});
    await redis.dispose();
    await pg.dispose();
  }
}

/** Counts error lines by message instead of printing them: 503s in an outage are expected, and counted. */
function countingLogger(counts: Map<string, number>): Logger {
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error(message) {
      counts.set(message, (counts.get(message) ?? 0) + 1);
    },
    child: () => logger,
  };
  return logger;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sleepUntil(done: () => boolean, keepGoing: () => boolean): Promise<void> {
  while (!done() && keepGoing()) await sleep(200);
}

if (import.meta.main) await run(Deno.args);
