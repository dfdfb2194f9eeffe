/**
 * Years of shop history straight into a database, for benchmarks: the sample catalog (suppliers,
 * products, offers) through the importer, then customers, transactions and their items streamed
 * with COPY. Secondary indexes of the two big tables are dropped for the load and rebuilt after it
 * (the same definitions), which is several times faster than maintaining them row by row.
 *
 *   deno task generate-data --transactions 10000000 [--days 730] [--seed 7] [--database-url postgres://...]
 */
import { Writable } from "node:stream";
import type { Sql } from "../server/db/mod.ts";
import { connect } from "../server/db/sql.ts";
import { migrate, readMigrations } from "../server/db/migrate.ts";
import { importPath } from "../server/import/importer.ts";
import { refreshMaterializedViews } from "../server/views/refresh.ts";
import { createRandom } from "./random.ts";
import { fraudCategory } from "../server/fraud/categories.ts";
import { lineSummaryOf } from "../server/transactions/line_summary.ts";

export interface ScaleOptions {
  transactions: number;
  /** Days of history ending at `end`. */
  days?: number;
  seed?: number;
  end?: Date;
  /** Customers to create; default one per 20 transactions (at least 1,000). */
  customers?: number;
  /** Refresh the materialized views afterwards (default true). */
  refreshViews?: boolean;
  onProgress?(done: number, total: number): void;
}

export interface ScaleSummary {
  transactions: number;
  items: number;
  customers: number;
  /** COPY of customers, transactions and items */
  loadMs: number;
  indexMs: number;
  refreshMs: number;
  /** transactions + items per second of the COPY phase */
  rowsPerSecond: number;
}

const dayMs = 86_400_000;
const payments = ["card", "paypal", "apple_pay", "google_pay", "bank_transfer", "gift_card"];
const paymentWeights = [50, 18, 12, 8, 5, 7];
const channels = ["web", "mobile", "store", "phone", "marketplace"];
const channelWeights = [45, 30, 12, 5, 8];
const weekdayFactor = [0.85, 0.75, 0.82, 0.92, 1.1, 1.45, 1.3];
// UTC hour of day: quiet nights, a lunch bump and a long evening
const hourWeights = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 11, 10, 9, 9, 10, 11, 13, 14, 13, 10, 6, 4];
const tiers = ["bronze", "silver", "gold", "platinum"];
const tierWeights = [60, 25, 11, 4];
const countries = ["GB", "DE", "FR", "NL", "IE", "ES", "IT", "SE"];

/** Tables whose secondary indexes are rebuilt after the load. */
const bigTables = ["transactions", "transaction_items", "customers"];

/**
 * Generates `transactions` orders over `days` into `sql`'s database (migrated first) and returns
 * how fast it went. Appends when there is data already: ids and order refs continue after it.
 */
export async function generateIntoDatabase(sql: Sql, options: ScaleOptions): Promise<ScaleSummary> {
  await migrate(sql, await readMigrations());
  await importCatalog(sql);
  const products = await sql<{ id: number; price: number; category: string }[]>`
    select id, price_cents as price, category from products where is_active order by id`;
  const productSlugs = products.map((product) => fraudCategory(product.category));
  const random = createRandom(options.seed ?? 7);
  // Best sellers sell far more than the tail: a Zipf-like weight by a shuffled rank
  const productWeights = products.map(() => 1 / (1 + Math.floor(random.next() * products.length)) ** 0.9);
  const pickProduct = cumulativePicker(productWeights, random.next);

  const end = options.end ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const days = options.days ?? 730;
  const start = new Date(end.getTime() - days * dayMs);
  const [{ maxTx, maxItem, maxCustomer }] = await sql<
    [{ maxTx: number; maxItem: number; maxCustomer: number }]
  >`
    select coalesce((select max(id) from transactions), 0) as "maxTx",
           coalesce((select max(id) from transaction_items), 0) as "maxItem",
           coalesce((select max(id) from customers), 0) as "maxCustomer"`;
  const customerCount = options.customers ?? Math.max(1000, Math.round(options.transactions / 20));

  const dropped = await dropSecondaryIndexes(sql);
  const loadStarted = performance.now();
  let items = 0;
  let loadMs = 0;
  let indexMs = 0;
  try {
    await copyRows(
      sql,
      (c) => c`copy customers (id, code, name, email, country, loyalty_tier, created_at) from stdin`,
      function* () {
        for (let i = 1; i <= customerCount; i++) {
          const id = maxCustomer + i;
          const created = new Date(start.getTime() - random.next() * 365 * dayMs).toISOString();
          yield `${id}\tCUS-S${id}\tScale Customer ${id}\tscale${id}@example.com\t${
            countries[i % countries.length]
          }\t${random.weighted(tiers, tierWeights)}\t${created}\n`;
        }
      },
    );
    const customerIds = { first: maxCustomer + 1, count: customerCount };
    const refundCap = end.getTime() - 3_600_000;
    // Orders per day: the weekday pattern and 40% growth over the window
    const dayWeights = Array.from({ length: days }, (_, day) => {
      const date = new Date(start.getTime() + day * dayMs);
      return weekdayFactor[(date.getUTCDay() + 6) % 7] * (1 + (0.4 * day) / days);
    });
    const weightSum = dayWeights.reduce((a, b) => a + b, 0);
    const pickHour = cumulativePicker(hourWeights, random.next);

    // Items and transactions stream on two connections at once; the items' foreign key is checked
    // by nothing during the load (session_replication_role), and holds by construction
    const itemChunks: string[] = [];
    let itemId = maxItem;
    let txId = maxTx;
    let carry = 0;
    const itemsDone = copyRows(
      sql,
      (c) =>
        c`copy transaction_items (id, transaction_id, product_id, quantity, unit_price_cents) from stdin`,
      async function* () {
        while (true) {
          if (itemChunks.length > 0) {
            yield itemChunks.shift()!;
          } else if (txId - maxTx >= options.transactions) {
            return;
          } else {
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        }
      },
    );
    await copyRows(sql, (c) =>
      c`
      copy transactions (id, order_ref, customer_id, status, payment_method, channel, subtotal_cents,
                         discount_cents, total_cents, item_count, fraud_score, fraud_decision, fraud_reasons,
                         created_at, updated_at, refunded_at, cancelled_at, max_item_quantity, category_units)
      from stdin`, async function* () {
      for (let day = 0; day < days && txId - maxTx < options.transactions; day++) {
        const exact = (options.transactions * dayWeights[day]) / weightSum + carry;
        let count = Math.floor(exact);
        carry = exact - count;
        if (day === days - 1) count = options.transactions - (txId - maxTx);
        const dayStart = start.getTime() + day * dayMs;
        const seconds = new Float64Array(count);
        for (let k = 0; k < count; k++) seconds[k] = pickHour() * 3600 + Math.floor(random.next() * 3600);
        seconds.sort();
        let txText = "";
        let itemText = "";
        for (let k = 0; k < count; k++) {
          txId++;
          const created = new Date(dayStart + seconds[k] * 1000);
          if (created.getTime() > end.getTime()) created.setTime(end.getTime() - 1000);
          const createdIso = created.toISOString();
          const customer = customerIds.first + Math.floor(customerIds.count * random.next() ** 2);
          const lineCount = random.next() < 0.7 ? 1 : random.next() < 0.75 ? 2 : 3;
          let subtotal = 0;
          let units = 0;
          let previous = -1;
          // the line summary a sale keeps (server/transactions/line_summary.ts), so fraud scoring on the
          // large shop reads its history as it reads a live shop's
          const lines: { category: string; quantity: number }[] = [];
          for (let l = 0; l < lineCount; l++) {
            const index = pickProduct();
            if (index === previous) continue;
            previous = index;
            const product = products[index];
            const quantity = product.price < 5000 ? 1 + Math.floor(random.next() ** 2 * 4) : 1;
            subtotal += quantity * product.price;
            units += quantity;
            lines.push({ category: productSlugs[index], quantity });
            itemId++;
            items++;
            itemText += `${itemId}\t${txId}\t${product.id}\t${quantity}\t${product.price}\n`;
          }
          const roll = random.next();
          const status = roll < 0.92
            ? "completed"
            : roll < 0.95
            ? "refunded"
            : roll < 0.975
            ? "cancelled"
            : "declined";
          const fraudRoll = random.next();
          const decision = fraudRoll < 0.985 ? "allow" : fraudRoll < 0.997 ? "review" : "block";
          const score = decision === "allow"
            ? Math.floor(random.next() * 35)
            : decision === "review"
            ? 50 + Math.floor(random.next() * 30)
            : 80 + Math.floor(random.next() * 20);
          // slugs are [a-z0-9_] and the units numbers: the JSON needs no COPY escaping
          const summary = lineSummaryOf(lines);
          const later = Math.min(created.getTime() + (1 + random.next() * 5) * dayMs, refundCap);
          const laterIso = new Date(Math.max(later, created.getTime())).toISOString();
          txText += `${txId}\tSC-${txId}\t${customer}\t${status}\t${
            random.weighted(payments, paymentWeights)
          }\t${
            random.weighted(channels, channelWeights)
          }\t${subtotal}\t0\t${subtotal}\t${units}\t${score}\t${decision}\t[]\t${createdIso}\t${
            status === "completed" || status === "declined" ? createdIso : laterIso
          }\t${status === "refunded" ? laterIso : "\\N"}\t${
            status === "cancelled" ? laterIso : "\\N"
          }\t${summary.maxItemQuantity}\t${JSON.stringify(summary.categoryUnits)}\n`;
          if (txText.length > 256_000) {
            itemChunks.push(itemText);
            itemText = "";
            yield txText;
            txText = "";
            options.onProgress?.(txId - maxTx, options.transactions);
            // Keep the item stream from falling far behind (memory)
            while (itemChunks.length > 64) await new Promise((resolve) => setTimeout(resolve, 2));
          }
        }
        if (itemText) itemChunks.push(itemText);
        if (txText) yield txText;
        options.onProgress?.(txId - maxTx, options.transactions);
      }
    });
    await itemsDone;
  } finally {
    loadMs = performance.now() - loadStarted;
    const indexStarted = performance.now();
    await restoreIndexes(sql, dropped);
    indexMs = performance.now() - indexStarted;
  }
  // Identity columns continue after the ids COPY wrote
  for (const table of bigTables) {
    await sql.unsafe(
      `select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 1) from ${table}))`,
    );
  }
  await sql`analyze customers`;
  await sql`analyze transactions`;
  await sql`analyze transaction_items`;
  let refreshMs = 0;
  if (options.refreshViews ?? true) {
    const refreshStarted = performance.now();
    await refreshMaterializedViews(sql);
    refreshMs = performance.now() - refreshStarted;
  }
  return {
    transactions: options.transactions,
    items,
    customers: customerCount,
    loadMs: Math.round(loadMs),
    indexMs: Math.round(indexMs),
    refreshMs: Math.round(refreshMs),
    rowsPerSecond: Math.round((options.transactions + items + customerCount) / (loadMs / 1000)),
  };
}

/** The sample catalog (suppliers, products, offers) through the importer; idempotent. */
async function importCatalog(sql: Sql): Promise<void> {
  const [{ present }] = await sql<[{ present: boolean }]>`select exists (select 1 from products) as present`;
  if (present) return;
  // The committed sample catalog; its orders are replaced by the generated history
  const dir = await Deno.makeTempDir({ prefix: "techmart-scale-" });
  try {
    for (const name of ["suppliers.csv", "products.csv", "product_suppliers.csv"]) {
      await Deno.copyFile(new URL(`./sample/${name}`, import.meta.url), `${dir}/${name}`);
    }
    await importPath(sql, dir, { rejectsDir: false });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface DroppedIndex {
  name: string;
  definition: string;
}

async function dropSecondaryIndexes(sql: Sql): Promise<DroppedIndex[]> {
  // Indexes backing constraints (primary keys, unique columns) stay: COPY checks them as it goes
  const indexes = await sql<DroppedIndex[]>`
    select i.relname as name, pg_get_indexdef(i.oid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    where t.relname = any(${bigTables}) and t.relnamespace = 'public'::regnamespace
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`;
  for (const index of indexes) await sql`drop index if exists ${sql(index.name)}`;
  return indexes;
}

async function restoreIndexes(sql: Sql, dropped: DroppedIndex[]): Promise<void> {
  // Two builds at a time: one per core of the benchmark machine
  const queue = [...dropped];
  async function worker() {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await sql.unsafe(next.definition.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
    }
  }
  await Promise.all([worker(), worker()]);
}

/** Streams the generator's text into a COPY ... FROM STDIN on a connection of its own. */
async function copyRows(
  sql: Sql,
  statement: (connection: Sql) => ReturnType<Sql>,
  rows: () => Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const connection = await sql.reserve();
  try {
    await connection`set session_replication_role = replica`;
    const writable = await statement(connection as unknown as Sql).writable() as Writable;
    const finished = new Promise<void>((resolve, reject) => {
      writable.on("finish", resolve);
      writable.on("error", reject);
    });
    for await (const chunk of rows()) {
      if (!writable.write(chunk)) await new Promise((resolve) => writable.once("drain", resolve));
    }
    writable.end();
    await finished;
  } finally {
    await connection`reset session_replication_role`.catch(() => {});
    connection.release();
  }
}

function cumulativePicker(weights: number[], next: () => number): () => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => cumulative[i] = total += weight);
  return () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
}

/** A one-line progress bar on stderr. */
export function progressBar(label: string): (done: number, total: number) => void {
  const started = performance.now();
  let last = 0;
  const encoder = new TextEncoder();
  return (done, total) => {
    const now = performance.now();
    if (now - last < 250 && done < total) return;
    last = now;
    const fraction = total ? done / total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    const line =
      `\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ` +
      `${done.toLocaleString("en")}/${total.toLocaleString("en")} ${
        Math.round(rate).toLocaleString("en")
      }/s ETA ${eta}s `;
    Deno.stderr.writeSync(encoder.encode(line + (done >= total ? "\n" : "")));
  };
}

/** The CLI: `deno task generate-data --transactions N [--into-db] [--database-url URL]`. */
export async function runScaleCli(
  args: { transactions: number; days?: number; seed?: number; databaseUrl?: string },
) {
  const url = args.databaseUrl ?? Deno.env.get("DATABASE_URL");
  if (!url) {
    console.error(
      "Set DATABASE_URL (or --database-url) to the PostgreSQL database to fill, e.g. techmart_scale_10m",
    );
    Deno.exit(2);
  }
  const sql = connect(url, { max: 4, idleTimeout: 0 });
  try {
    const summary = await generateIntoDatabase(sql, {
      transactions: args.transactions,
      days: args.days,
      seed: args.seed,
      onProgress: progressBar("transactions"),
    });
    console.log(
      `loaded ${summary.transactions.toLocaleString("en")} transactions, ${
        summary.items.toLocaleString("en")
      } items, ` +
        `${summary.customers.toLocaleString("en")} customers in ${(summary.loadMs / 1000).toFixed(1)} s ` +
        `(${summary.rowsPerSecond.toLocaleString("en")} rows/s); indexes ${
          (summary.indexMs / 1000).toFixed(1)
        } s; ` +
        `views ${(summary.refreshMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}
