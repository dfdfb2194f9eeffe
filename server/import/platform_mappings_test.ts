import assert from "node:assert/strict";
import { findMapping, loadMapping } from "./mapping_registry.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { MappingSpecError } from "./declarative_mapping.ts";
import { importFile, importPaths } from "./importer.ts";
import { mappingJsonSchema } from "./mapping_spec.ts";

// Files written to the platforms' documented export columns (see docs/import.md for the sources)
const fixture = (name: string) => new URL(`../../data/fixtures/platforms/${name}`, import.meta.url).pathname;

interface OrderRow {
  order_ref: string;
  status: string;
  created_at: Date;
  total_cents: number;
  item_count: number;
  payment_method: string;
  channel: string;
  customer: string | null;
  original_currency: string | null;
  original_total_minor: number | null;
}

function readOrders(sql: Awaited<ReturnType<typeof openTestDatabase>>["sql"]) {
  return sql<OrderRow[]>`
    select t.order_ref, t.status, t.created_at, t.total_cents::int, t.item_count, t.payment_method, t.channel,
      c.code as customer, t.original_currency, t.original_total_minor::int
    from transactions t left join customers c on c.id = t.customer_id order by t.order_ref`;
}

Deno.test("shopify-orders imports an orders export: line items over rows, refunds, zones, currencies", async () => {
  const db = await openTestDatabase();
  try {
    const mapping = findMapping("shopify-orders", { storeCurrency: "GBP", rates: { USD: 0.8 } })!;
    const summary = await importFile(db.sql, fixture("shopify_orders_export.csv"), {
      mapping,
      rejectsDir: false,
    });
    // Every line is accounted for: imported, or rejected with its reason
    assert.deepEqual([summary.read, summary.inserted, summary.skipped, summary.rejected], [8, 6, 0, 2]);
    assert.deepEqual(summary.rejects, [
      { line: 8, reason: 'Lineitem quantity: must be a whole number of units, got "two"' },
      {
        line: 9,
        reason:
          'currency: no rate for EUR to GBP; give one in the mapping\'s "rates" (or --rate EUR=<rate> on the command line)',
      },
    ]);
    const orders = await readOrders(db.sql);
    assert.deepEqual(orders.map((o) => ({ ...o })), [
      {
        order_ref: "#1001",
        status: "completed",
        created_at: new Date("2026-11-02T10:15:30Z"),
        total_cents: 134800,
        item_count: 2,
        payment_method: "card",
        channel: "web",
        customer: "ada@example.com",
        original_currency: null,
        original_total_minor: null,
      },
      {
        order_ref: "#1002",
        status: "completed",
        // 19:45 at -05:00 is 00:45 the next day in UTC
        created_at: new Date("2026-11-04T00:45:00Z"),
        // $29.99 at 0.8 is £23.99 a unit
        total_cents: 3 * 2399,
        item_count: 3,
        payment_method: "paypal",
        channel: "mobile",
        customer: "grace@example.com",
        original_currency: "USD",
        original_total_minor: 8997,
      },
      {
        order_ref: "#1003",
        status: "refunded",
        created_at: new Date("2026-11-04T08:00:00Z"),
        total_cents: 5900,
        item_count: 1,
        payment_method: "card",
        channel: "web",
        customer: "alan@example.com",
        original_currency: null,
        original_total_minor: null,
      },
      {
        order_ref: "#1004",
        status: "cancelled",
        created_at: new Date("2026-11-05T12:30:00Z"),
        total_cents: 19900,
        item_count: 1,
        payment_method: "card",
        channel: "store",
        customer: "ada@example.com",
        original_currency: null,
        original_total_minor: null,
      },
      {
        order_ref: "#1005",
        status: "pending",
        created_at: new Date("2026-11-06T17:05:00Z"),
        total_cents: 1500,
        item_count: 2,
        payment_method: "card",
        channel: "store",
        customer: null,
        original_currency: null,
        original_total_minor: null,
      },
    ]);
    const [unnamed] = await db.sql<{ sku: string; name: string }[]>`
      select sku, name from products where name = 'Gift wrapping'`;
    assert.equal(unnamed.sku, "SHOPIFY:Gift wrapping");
    const [customer] = await db.sql<{ name: string; country: string }[]>`
      select name, country from customers where code = 'ada@example.com'`;
    assert.deepEqual({ ...customer }, { name: "Ada Lovelace", country: "GB" });

    const again = await importFile(db.sql, fixture("shopify_orders_export.csv"), {
      mapping,
      rejectsDir: false,
    });
    assert.deepEqual(
      [again.inserted, again.skipped, again.rejected],
      [0, 6, 2],
      "importing twice adds nothing",
    );
  } finally {
    await db.close();
  }
});

Deno.test("shopify-products imports a products export: variants over rows, image rows, prices, cost, stock", async () => {
  const db = await openTestDatabase();
  try {
    const mapping = findMapping("shopify-products")!;
    const file = fixture("shopify_products_export.csv");
    const summary = await importFile(db.sql, file, { mapping, rejectsDir: false });
    assert.deepEqual([summary.read, summary.inserted, summary.skipped, summary.rejected], [5, 3, 0, 2]);
    assert.deepEqual(summary.rejects, [
      { line: 4, reason: "Row of pixel-9-pro is an image row, not a variant" },
      { line: 6, reason: "A variant of mystery-box has no SKU" },
    ]);
    const products = await db.sql`
      select sku, name, category, brand, price_cents::int as price, cost_cents::int as cost, stock_quantity as stock
      from products order by sku`;
    assert.deepEqual(products.map((p) => ({ ...p })), [
      {
        sku: "ACC-USBC-2M",
        name: "USB-C Cable 2m",
        category: "Accessories",
        brand: "Anker",
        price: 1299,
        cost: 310,
        // sold beyond stock on the platform: none here
        stock: 0,
      },
      {
        sku: "PHN-PX9P-256",
        name: "Pixel 9 Pro - 256GB",
        category: "Phones",
        brand: "Google",
        price: 99900,
        cost: 72000,
        stock: 14,
      },
      {
        // the second variant's product columns come from the product's first row
        sku: "PHN-PX9P-512",
        name: "Pixel 9 Pro - 512GB",
        category: "Phones",
        brand: "Google",
        price: 111900,
        cost: 80500,
        stock: 3,
      },
    ]);
    const again = await importFile(db.sql, file, { mapping, rejectsDir: false });
    assert.deepEqual(
      [again.inserted, again.skipped, again.rejected],
      [0, 3, 2],
      "importing twice adds nothing",
    );
  } finally {
    await db.close();
  }
});

Deno.test("woocommerce-orders imports an export: line totals, partial refunds, statuses, currencies", async () => {
  const db = await openTestDatabase();
  try {
    const mapping = findMapping("woocommerce-orders", { storeCurrency: "GBP", rates: { USD: 0.8 } })!;
    const summary = await importFile(db.sql, fixture("woocommerce_orders_export.csv"), {
      mapping,
      rejectsDir: false,
    });
    assert.deepEqual([summary.read, summary.inserted, summary.skipped, summary.rejected], [6, 5, 0, 1]);
    assert.match(summary.rejects[0].reason, /^status: "checkout-draft" is not one of completed, /);
    assert.equal(summary.rejects[0].line, 7);
    const orders = await readOrders(db.sql);
    const brief = orders.map((o) => [o.order_ref, o.status, o.total_cents, o.item_count, o.payment_method]);
    assert.deepEqual(brief, [
      // One of the two SSDs was refunded: the kept one stays a sale, the refunded one is a refund order
      ["WC-2201", "completed", 8999 + 4999, 2, "card"],
      ["WC-2201-R", "refunded", 8999, 1, "card"],
      // $320.00 for four at 0.8: £64.00 each
      ["WC-2202", "completed", 4 * 6400, 4, "bank_transfer"],
      ["WC-2203", "refunded", 30999, 1, "paypal"],
      ["WC-2204", "declined", 59900, 1, "card"],
    ]);
    assert.deepEqual(
      [orders[2].original_currency, orders[2].original_total_minor, orders[2].created_at],
      ["USD", 32000, new Date("2026-11-11T22:30:00Z")],
    );
    // Totals match the file: every imported line's subtotal, converted
    const fileTotal = 17998 + 4999 + Math.round(32000 * 0.8) + 30999 + 59900;
    assert.equal(orders.reduce((sum, o) => sum + o.total_cents, 0), fileTotal);
  } finally {
    await db.close();
  }
});

Deno.test("a mapping file with mistakes is refused, naming each place", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/broken.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ name: "Broken Name", description: "x", columns: [], orderRef: { column: "id" } }),
    );
    const error = await loadMapping(path).catch((e) => e);
    assert.ok(error instanceof MappingSpecError);
    assert.match(error.message, /broken\.json: name: must be lower-case letters, digits and dashes/);
    assert.match(error.message, /broken\.json: columns: /);
    assert.match(error.message, /broken\.json: product: /);
    // an orders mapping without a time or a quantity says which it lacks
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        name: "no-time",
        description: "x",
        columns: ["id"],
        orderRef: { column: "id" },
        product: { sku: { column: "id" }, name: { column: "id" } },
        unitPrice: { column: "id" },
      }),
    );
    const incomplete = await loadMapping(path).catch((e) => e);
    assert.match(incomplete.message, /broken\.json: createdAt: is needed for orders/);
    assert.match(incomplete.message, /broken\.json: quantity: is needed for orders/);
    await Deno.writeTextFile(path, "{ not json");
    assert.match((await loadMapping(path).catch((e) => e)).message, /broken\.json: cannot be read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a YAML mapping file works like JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/tiny.yaml`;
    await Deno.writeTextFile(
      path,
      [
        "name: tiny",
        "description: one row per sale",
        "columns: [ref, when, sku, qty, price]",
        "orderRef: { column: ref }",
        "createdAt: { column: when, format: 'dd/MM/yyyy HH:mm', zone: Europe/London }",
        "product: { sku: { column: sku }, name: { column: sku } }",
        "quantity: { column: qty }",
        "unitPrice: { column: price }",
        "status: { value: completed }",
      ].join("\n"),
    );
    const mapping = await loadMapping(path);
    const row = mapping.createMapper()({
      ref: "A1",
      when: "01/07/2026 09:30",
      sku: "X",
      qty: "2",
      price: "1.50",
    }, 2);
    assert.ok(!Array.isArray(row) && typeof row === "object" && !("kind" in row));
    // 09:30 in London in July is 08:30 UTC (summer time)
    assert.deepEqual([row.createdAt, row.unitPriceCents, row.quantity], [
      new Date("2026-07-01T08:30:00Z"),
      150,
      2,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a mapping reads the sale's identity fields and checks them as the API does", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/identity.yaml`;
    await Deno.writeTextFile(
      path,
      [
        "name: identity",
        "description: one sale a row with identity",
        "columns: [ref, when, sku, price, mail, ip, ship]",
        "orderRef: { column: ref }",
        "createdAt: { column: when }",
        "product: { sku: { column: sku }, name: { column: sku } }",
        "quantity: { value: '1' }",
        "unitPrice: { column: price }",
        "status: { value: completed }",
        "identity: { email: { column: mail }, ipAddress: { column: ip }, shippingCountry: { column: ship } }",
      ].join("\n"),
    );
    const mapRow = (await loadMapping(path)).createMapper();
    const fields = { ref: "A1", when: "2026-07-01T09:30:00Z", sku: "X", price: "1.50" };
    const row = mapRow({ ...fields, mail: "Bo@Example.com", ip: "2001:DB8::1", ship: "de" }, 2);
    assert.ok(!Array.isArray(row) && typeof row === "object" && !("kind" in row));
    assert.deepEqual(row.identity, {
      email: "bo@example.com",
      ipAddress: "2001:db8::1",
      shippingCountry: "DE",
    });
    const blank = mapRow({ ...fields, mail: "", ip: "", ship: "" }, 3);
    assert.ok(typeof blank === "object" && !Array.isArray(blank) && !("kind" in blank));
    assert.equal(blank.identity, undefined);
    assert.equal(
      mapRow({ ...fields, mail: "nope", ip: "", ship: "" }, 4),
      'identity.email: Use an email address such as ann@example.com, got "nope"',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("docs/mapping.schema.json is the schema the importer checks with", async () => {
  const published = JSON.parse(
    await Deno.readTextFile(new URL("../../docs/mapping.schema.json", import.meta.url)),
  );
  assert.deepEqual(
    published,
    mappingJsonSchema(),
    "regenerate with: deno task import --schema > docs/mapping.schema.json",
  );
});

Deno.test("the worked example in docs/import.md imports as the text says", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/import.md", import.meta.url));
  const block = (language: string) => new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(doc)![1];
  const dir = await Deno.makeTempDir();
  const db = await openTestDatabase();
  try {
    await Deno.writeTextFile(`${dir}/sales.csv`, block("csv"));
    await Deno.writeTextFile(`${dir}/till.yaml`, block("yaml"));
    const mapping = await loadMapping(`${dir}/till.yaml`);
    const summary = await importFile(db.sql, `${dir}/sales.csv`, { mapping, rejectsDir: false });
    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [3, 3, 0]);
    const orders = await readOrders(db.sql);
    assert.deepEqual(
      orders.map((o) => [o.order_ref, o.customer, o.total_cents, o.channel, o.created_at.toISOString()]),
      [
        ["R-1", "M-17", 119900 + 2 * 999, "store", "2026-11-03T09:30:00.000Z"],
        ["R-2", null, 119900, "store", "2026-11-03T10:05:00.000Z"],
      ],
    );
    const categories = await db.sql<{ sku: string; category: string }[]>`
      select sku, category from products order by sku`;
    assert.deepEqual(categories.map((c) => [c.sku, c.category]), [["HDMI-2", "Accessories"], [
      "TV-55",
      "TVs",
    ]]);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the multi-file example in docs/import.md: four CSVs and a mapping, as the docs say", async () => {
  const folder = new URL("../../docs/examples/shop_export/", import.meta.url).pathname;
  const doc = await Deno.readTextFile(new URL("../../docs/import.md", import.meta.url));
  // The docs show the example files as they are
  for (const name of ["orders.csv", "order_items.csv", "customers.csv", "products.csv", "mapping.json"]) {
    const shown = new RegExp("```\\w+ file=" + name.replace(".", "\\.") + "\\n([\\s\\S]*?)```").exec(doc)
      ?.[1];
    const file = await Deno.readTextFile(folder + name);
    if (name.endsWith(".json")) assert.deepEqual(JSON.parse(shown!), JSON.parse(file), name);
    else assert.equal(shown, file, name);
  }
  const db = await openTestDatabase();
  try {
    const mapping = await loadMapping(folder + "mapping.json");
    const files = ["orders", "order_items", "customers", "products"].map((name) => `${folder}${name}.csv`);
    const [summary, ...others] = await importPaths(db.sql, files, { mapping, rejectsDir: false });
    assert.equal(others.length, 0, "one summary: the line items' file");
    assert.deepEqual([summary.read, summary.inserted, summary.rejected], [5, 4, 1]);
    assert.deepEqual(summary.rejects, [
      { line: 6, reason: 'product_id: "P-99" is not in products.csv (column product_id)' },
    ]);
    const orders = await readOrders(db.sql);
    assert.deepEqual(
      orders.map((o) => [o.order_ref, o.status, o.total_cents, o.customer, o.payment_method]),
      [
        ["OLD-5001", "completed", 79900 + 2 * 1999, "ada@example.com", "card"],
        ["OLD-5002", "refunded", 24900, "grace@example.com", "paypal"],
        ["OLD-5003", "completed", 1999, "ada@example.com", "card"],
      ],
    );
    const products = await db.sql`select sku, name, category, brand from products order by sku`;
    assert.deepEqual(products.map((p) => [p.sku, p.category, p.brand]), [
      ["ACC-USBC-1M", "Accessories", "Anker"],
      ["AUD-XM5", "Audio", "Sony"],
      ["PHN-GP9", "Phones", "Google"],
    ]);
    const missing = await importPaths(db.sql, files.slice(1), { mapping }).catch((e) => e);
    assert.match(missing.message, /missing: orders\.csv/);
  } finally {
    await db.close();
  }
});
