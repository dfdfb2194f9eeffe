import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/db/mod.ts";
import { sampleDataDir } from "../../server/import/seed.ts";
import { createLogger } from "../../server/log.ts";
import { openTestDatabase } from "../../server/testing/test_database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const importChild = fileURLToPath(new URL("./_import_child.ts", import.meta.url));
const orders = 12_000;

/** The sample shop's catalog and customers, with a large transactions file of single-line orders. */
async function writeLargeShop(dir: string): Promise<void> {
  for (const name of ["suppliers", "products", "product_suppliers", "customers"]) {
    await Deno.copyFile(join(sampleDataDir, `${name}.csv`), join(dir, `${name}.csv`));
  }
  const skus = (await Deno.readTextFile(join(sampleDataDir, "products.csv"))).trim().split("\n").slice(1)
    .map((line) => line.split(",")[0]);
  const lines = [
    "order_ref,created_at,customer_code,sku,quantity,unit_price_cents,payment_method,channel,status",
  ];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < orders; i++) {
    const customer = `CUS-${String(i % 1000 + 1).padStart(5, "0")}`;
    const at = new Date(start + i * 60_000).toISOString();
    lines.push(`CRASH-${i},${at},${customer},${skus[i % skus.length]},1,1999,card,web,completed`);
  }
  await Deno.writeTextFile(join(dir, "transactions.csv"), lines.join("\n") + "\n");
}

/** Runs a Deno child with the real binary (no npm wrapper in between), so SIGKILL reaches it. */
function spawnDeno(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Reads the child's output (stdout, or stderr where the app logs) line by line until `stop` returns
 * true (then kills it with SIGKILL) or it exits.
 */
async function watch(
  child: Deno.ChildProcess,
  stop: (line: string) => boolean,
  options: { stream?: "stdout" | "stderr"; killAfterMs?: number } = {},
): Promise<string[]> {
  const stream = options.stream ?? "stdout";
  const seen: string[] = [];
  const other = stream === "stdout" ? child.stderr : child.stdout;
  // The other stream is drained, so a chatty child never blocks on a full pipe
  const drained = other.pipeTo(new WritableStream()).catch(() => {});
  const lines = child[stream].pipeThrough(new TextDecoderStream()).pipeThrough(splitLines());
  for await (const line of lines) {
    seen.push(line);
    if (stop(line)) {
      // The kill lands wherever the child is by then: the assertions must hold for any point
      if (options.killAfterMs) await new Promise((resolve) => setTimeout(resolve, options.killAfterMs));
      child.kill("SIGKILL");
      break;
    }
  }
  await child.status;
  await drained;
  return seen;
}

function splitLines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}

Deno.test("an import killed with SIGKILL mid-file leaves that file unapplied, and re-running completes without duplicates", async () => {
  const shop = await Deno.makeTempDir({ prefix: "techmart-crash-shop-" });
  await writeLargeShop(shop);
  // The importer gets its own database: a fresh one on the server, or an embedded one in a folder
  const serverDb = Deno.env.get("DATABASE_URL") ? await openTestDatabase() : undefined;
  const dataDir = serverDb ? undefined : await Deno.makeTempDir({ prefix: "techmart-crash-data-" });
  const env: Record<string, string> = serverDb ? { DATABASE_URL: serverDb.url } : { DATA_DIR: dataDir! };
  const open = async () =>
    serverDb
      ? { sql: serverDb.sql, close: () => Promise.resolve() }
      : await openDatabase(loadConfig({ DATA_DIR: dataDir }), createLogger("error"));
  try {
    const killed = await watch(
      spawnDeno(["run", "-A", importChild, shop], env),
      (line) => /^writing transactions\.csv (0\.[3-9]|1\.)/.test(line),
    );
    assert.ok(!killed.some((line) => line.startsWith("done")), "killed before the end");
    assert.ok(
      killed.some((line) => line.startsWith("writing transactions.csv")),
      "killed while writing orders",
    );

    let db = await open();
    try {
      const [counts] = await db.sql<[{ products: number; orders: number; items: number }]>`
        select (select count(*)::int from products) as products,
          (select count(*)::int from transactions where order_ref like 'CRASH-%') as orders,
          (select count(*)::int from transaction_items) as items`;
      assert.equal(counts.products, 186, "files before the killed one are whole");
      assert.equal(counts.orders, 0, "the file being written when killed left nothing behind");
      assert.equal(counts.items, 0);
    } finally {
      await db.close();
    }

    const finished = await watch(spawnDeno(["run", "-A", importChild, shop], env), () => false);
    assert.ok(finished.some((line) => line.startsWith("done")), finished.slice(-3).join("\n"));

    db = await open();
    try {
      const [counts] = await db.sql<
        [{ products: number; orders: number; items: number; duplicates: number }]
      >`
        select (select count(*)::int from products) as products,
          (select count(*)::int from transactions where order_ref like 'CRASH-%') as orders,
          (select count(*)::int from transaction_items) as items,
          (select count(*)::int from (select order_ref from transactions group by order_ref having count(*) > 1) d)
            as duplicates`;
      assert.deepEqual(counts, { products: 186, orders, items: orders, duplicates: 0 });
    } finally {
      await db.close();
    }
  } finally {
    await serverDb?.close();
    if (dataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(shop, { recursive: true });
  }
});

Deno.test({
  name:
    "`deno task start` killed with SIGKILL while seeding starts again on the same embedded database, fully seeded",
  // The embedded database is what an unclean stop can damage; a server database is PostgreSQL's job
  ignore: Deno.env.get("DATABASE_URL") !== undefined,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "techmart-crash-start-" });
    const env = { DATA_DIR: dataDir, PORT: "0", JOBS: "off", LOG_LEVEL: "info" };
    const start = ["run", "-A", "--unstable-cron", "main.ts"];
    try {
      // Killed at several points of first-start preparation (migrations done, the sample import under way):
      // wherever the kill lands, the next start must end with the whole sample, once
      for (const afterMs of [0, 800, 1_600, 3_000]) {
        await watch(spawnDeno(start, env), (line) => line.includes("database ready"), {
          stream: "stderr",
          killAfterMs: afterMs,
        });
      }

      const second = spawnDeno(start, env);
      const lines = await watch(second, (line) => line.includes("is ready at"));
      assert.ok(lines.some((line) => line.includes("is ready at")), lines.slice(-5).join("\n"));

      const db = await openDatabase(loadConfig({ DATA_DIR: dataDir }), createLogger("error"));
      try {
        const sampleOrders = new Set(
          (await Deno.readTextFile(join(sampleDataDir, "transactions.csv"))).trim().split("\n").slice(1)
            .map((line) => line.split(",")[0]),
        ).size;
        const [counts] = await db.sql<[{ products: number; orders: number; customers: number }]>`
          select (select count(*)::int from products) as products,
            (select count(*)::int from transactions) as orders,
            (select count(*)::int from customers) as customers`;
        assert.deepEqual(
          counts,
          { products: 186, orders: sampleOrders, customers: 1000 },
          "the whole sample, once",
        );
      } finally {
        await db.close();
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
