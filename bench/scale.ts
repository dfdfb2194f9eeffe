/**
 * Speed at scale: p50/p95 of the dashboard, analytics and transaction-list procedures, uncached
 * (every cache namespace is retired before each call), against a database holding millions of
 * transactions (fill one with `deno task generate-data --transactions 10000000 --database-url ...`);
 * then the materialized-view refresh time and the COPY import rate.
 *
 *   deno task bench scale [--database-url postgres://.../techmart_scale_10m] [--iterations 40]
 *                         [--import-rows 200000] [--skip-refresh]
 */
import { parseArgs } from "node:util";
import { generateIntoDatabase } from "../data/generate_scale.ts";
import { type CacheNamespace, cacheNamespaces, invalidate } from "../server/cache.ts";
import { loadConfig } from "../server/config.ts";
import { connect } from "../server/db/sql.ts";
import { createEventBus } from "../server/events/bus.ts";
import { encodeCursor } from "../server/db/keyset.ts";
import { createMemoryKv } from "../server/kv/mod.ts";
import { createLogger } from "../server/log.ts";
import { createServerCaller } from "../server/api/server_caller.ts";
import type { Services } from "../server/services.ts";
import { refreshMaterializedViews } from "../server/views/refresh.ts";

const namespaces: CacheNamespace[] = [...cacheNamespaces];

/** p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      "database-url": { type: "string" },
      iterations: { type: "string", default: "40" },
      "import-rows": { type: "string", default: "200000" },
      "skip-refresh": { type: "boolean", default: false },
    },
  });
  const url = values["database-url"] ?? Deno.env.get("SCALE_DATABASE_URL") ??
    "postgres://postgres@127.0.0.1:5432/techmart_scale_10m";
  const iterations = Number(values.iterations);
  const sql = connect(url, { max: 20, idleTimeout: 0 });
  const kv = createMemoryKv();
  const log = createLogger("error");
  const bus = await createEventBus(kv, log);
  const services: Services = {
    config: loadConfig({ DATABASE_URL: url, JOBS: "off" }),
    db: { sql, saleSql: sql, kind: "postgres", url, close: () => sql.end() },
    kv,
    bus,
    log,
    startedAt: new Date(),
  };
  try {
    const [{ rows, items }] = await sql<[{ rows: number; items: number }]>`
      select (select count(*) from transactions)::bigint as rows, (select count(*) from transaction_items)::bigint as items`;
    console.log(
      `database ${new URL(url).pathname.slice(1)}: ${rows.toLocaleString("en")} transactions, ${
        items.toLocaleString("en")
      } items`,
    );
    const api = createServerCaller(services, { userId: 0, username: "bench", role: "admin", via: "session" });

    // A cursor half way through history: a deep page is one keyset range scan from there
    const [middle] = await sql<[{ key: string; id: number }]>`
      select to_json(created_at) #>> '{}' as key, id from transactions
      where id = (select (min(id) + max(id)) / 2 from transactions)`;
    const deepCursor = encodeCursor("created:desc", [middle.key, middle.id]);

    const cases: [string, () => Promise<unknown>][] = [
      ["dashboard.overview", () => api.dashboard.overview()],
      ["analytics.hourlySales (30 days)", () => api.analytics.hourlySales({ days: 30 })],
      ["analytics.topProducts (30 days)", () => api.analytics.topProducts({ days: 30 })],
      ["analytics.categoryPerformance (30 days)", () => api.analytics.categoryPerformance({ days: 30 })],
      ["transactions.list (first page)", () => api.transactions.list({ limit: 50 })],
      ["transactions.list (deep page)", () => api.transactions.list({ limit: 50, cursor: deepCursor })],
    ];
    let worst = 0;
    console.log(
      `procedure                                  p50 ms   p95 ms   (uncached, ${iterations} calls each)`,
    );
    for (const [name, call] of cases) {
      await invalidate(kv, namespaces);
      await call(); // warm the plan cache and the connection, as a running server would be
      const timings: number[] = [];
      for (let i = 0; i < iterations; i++) {
        await invalidate(kv, namespaces);
        const started = performance.now();
        await call();
        timings.push(performance.now() - started);
      }
      const p50 = percentile(timings, 50);
      const p95 = percentile(timings, 95);
      worst = Math.max(worst, p95);
      console.log(`${name.padEnd(42)} ${p50.toFixed(1).padStart(6)}   ${p95.toFixed(1).padStart(6)}`);
    }

    if (!values["skip-refresh"]) {
      const started = performance.now();
      const refreshed = await refreshMaterializedViews(sql);
      console.log(
        `materialized views refresh: ${((performance.now() - started) / 1000).toFixed(1)} s (` +
          refreshed.map((r) => `${r.view} ${(r.durationMs / 1000).toFixed(1)} s`).join(", ") + ")",
      );
    }

    const importRows = Number(values["import-rows"]);
    if (importRows > 0) {
      const rate = await measureImport(url, importRows);
      console.log(
        `import (COPY, fresh database, ${importRows.toLocaleString("en")} transactions): ` +
          `${rate.rowsPerSecond.toLocaleString("en")} rows/s, ${
            rate.transactionsPerSecond.toLocaleString("en")
          } transactions/s`,
      );
    }
    console.log(`scale rows=${rows} worst_p95_ms=${worst.toFixed(1)}`);
  } finally {
    await bus.close();
    await kv.close();
    await sql.end({ timeout: 5 });
  }
}

async function measureImport(url: string, transactions: number) {
  const admin = connect(url, { max: 1 });
  const name = `techmart_bench_import_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const sql = connect(target.toString(), { max: 4, idleTimeout: 0 });
  try {
    const summary = await generateIntoDatabase(sql, { transactions, refreshViews: false, days: 365 });
    return {
      rowsPerSecond: summary.rowsPerSecond,
      transactionsPerSecond: Math.round(transactions / (summary.loadMs / 1000)),
    };
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
