import assert from "node:assert/strict";
import { join } from "node:path";
import type { Sql } from "../db/mod.ts";
import { openTestDatabase } from "../testing/test_database.ts";
import { importFile, ImportFileError, importPath } from "./importer.ts";

const shop = {
  "suppliers.csv": `code,name,email,country,reliability
SUP-1,Northwind,orders@northwind.example,GB,0.950
SUP-2,"Pacific Rim, Ltd",,TW,0.8
`,
  "products.csv":
    `sku,name,category,brand,price_cents,cost_cents,stock_quantity,reorder_point,service_level,target_days_of_cover
PHN-1,Phone One,Phones,Acme,49999,40000,12,,0.95,30
ACC-1,"Cable, 2m",Accessories,,1499,,200,20,0.9,14
GPU-1,Graphics Card,Graphics Cards,Zeta,89900,80000,3,,0.99,45
`,
  "product_suppliers.csv": `sku,supplier_code,unit_cost_cents,lead_time_days,min_order_qty,reliability
PHN-1,SUP-1,40100,5,1,0.95
PHN-1,SUP-2,38000,21,10,
ACC-1,SUP-2,500,14,50,0.81
`,
  "customers.csv": `code,name,email,country,loyalty_tier,created_at
C-1,Ada Lovelace,ada@example.com,GB,gold,2024-01-10T09:00:00Z
C-2,Alan Turing,,GB,bronze,2024-12-30T12:00:00.000Z
`,
  "transactions.csv":
    `order_ref,created_at,customer_code,sku,quantity,unit_price_cents,payment_method,channel,status
T-1,2025-01-01T10:00:00Z,C-1,PHN-1,1,49999,card,web,completed
T-1,2025-01-01T10:00:00Z,C-1,ACC-1,3,1499,card,web,completed
T-2,2025-01-02T11:30:00Z,,GPU-1,2,89900,paypal,mobile,refunded
T-3,2025-01-03T18:45:00Z,C-2,ACC-1,1,1299,apple_pay,store,completed
`,
};

async function writeFiles(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "techmart-import-" });
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  return dir;
}

async function tableCounts(sql: Sql) {
  const [row] = await sql<Record<string, number>[]>`
    select (select count(*) from suppliers)::int as suppliers, (select count(*) from products)::int as products,
      (select count(*) from product_suppliers)::int as product_suppliers,
      (select count(*) from customers)::int as customers, (select count(*) from transactions)::int as transactions,
      (select count(*) from transaction_items)::int as items`;
  return { ...row };
}

async function emptyShop(sql: Sql) {
  await sql`truncate transaction_items, transactions, product_suppliers, products, suppliers, customers restart identity cascade`;
}

Deno.test("importPath()", async (t) => {
  const db = await openTestDatabase();
  const sql = db.sql;
  const dirs: string[] = [];
  async function shopDir(overrides: Record<string, string> = {}) {
    const dir = await writeFiles({ ...shop, ...overrides });
    dirs.push(dir);
    return dir;
  }
  try {
    await t.step("imports a directory in dependency order with totals computed in cents", async () => {
      const dir = await shopDir();
      const summaries = await importPath(sql, dir, { rejectsDir: false });
      assert.deepEqual(
        summaries.map((s) => [s.kind, s.read, s.inserted, s.skipped, s.rejected, s.applied]),
        [
          ["suppliers", 2, 2, 0, 0, true],
          ["products", 3, 3, 0, 0, true],
          ["product_suppliers", 3, 3, 0, 0, true],
          ["customers", 2, 2, 0, 0, true],
          ["transactions", 4, 4, 0, 0, true],
        ],
      );
      assert.deepEqual(summaries[4].created, { transactions: 3, items: 4 });
      assert.deepEqual(await tableCounts(sql), {
        suppliers: 2,
        products: 3,
        product_suppliers: 3,
        customers: 2,
        transactions: 3,
        items: 4,
      });
      const orders = await sql<
        {
          order_ref: string;
          customer: string | null;
          subtotal_cents: number;
          total_cents: number;
          item_count: number;
          status: string;
          refunded_at: Date | null;
          created_at: Date;
        }[]
      >`
        select t.order_ref, c.code as customer, t.subtotal_cents, t.total_cents, t.item_count, t.status, t.refunded_at,
          t.created_at
        from transactions t left join customers c on c.id = t.customer_id order by t.order_ref`;
      assert.deepEqual(
        orders.map((o) => [o.order_ref, o.customer, o.subtotal_cents, o.total_cents, o.item_count]),
        [
          ["T-1", "C-1", 49999 + 3 * 1499, 49999 + 3 * 1499, 4],
          ["T-2", null, 2 * 89900, 2 * 89900, 2],
          ["T-3", "C-2", 1299, 1299, 1],
        ],
      );
      assert.equal(orders[1].status, "refunded");
      assert.equal(orders[1].refunded_at?.toISOString(), "2025-01-02T11:30:00.000Z");
      assert.equal(orders[0].created_at.toISOString(), "2025-01-01T10:00:00.000Z");
      const [cable] = await sql<
        { name: string; brand: string | null; cost_cents: number | null; reorder_point: number }[]
      >`
        select name, brand, cost_cents, reorder_point from products where sku = 'ACC-1'`;
      assert.deepEqual({ ...cable }, { name: "Cable, 2m", brand: null, cost_cents: null, reorder_point: 20 });
      const [offer] = await sql<{ reliability: number | null; min_order_qty: number }[]>`
        select ps.reliability, ps.min_order_qty from product_suppliers ps
        join suppliers s on s.id = ps.supplier_id join products p on p.id = ps.product_id
        where p.sku = 'PHN-1' and s.code = 'SUP-2'`;
      assert.deepEqual({ ...offer }, { reliability: null, min_order_qty: 10 });
    });

    await t.step(
      "importing the same directory again adds nothing and reports every row as already present",
      async () => {
        const before = await tableCounts(sql);
        const summaries = await importPath(sql, await shopDir(), { rejectsDir: false });
        assert.deepEqual(summaries.map((s) => [s.inserted, s.skipped, s.rejected]), [
          [0, 2, 0],
          [0, 3, 0],
          [0, 3, 0],
          [0, 2, 0],
          [0, 4, 0],
        ]);
        assert.deepEqual(await tableCounts(sql), before);
      },
    );

    await t.step("historical transactions leave product stock alone", async () => {
      const stock = await sql<{ sku: string; stock_quantity: number }[]>`
        select sku, stock_quantity from products order by sku`;
      assert.deepEqual(stock.map((p) => [p.sku, p.stock_quantity]), [["ACC-1", 200], ["GPU-1", 3], [
        "PHN-1",
        12,
      ]]);
    });

    await emptyShop(sql);

    await t.step("rejects bad rows with their exact line numbers and applies the rest", async () => {
      const dir = await shopDir({
        "products.csv":
          `sku,name,category,brand,price_cents,cost_cents,stock_quantity,reorder_point,service_level,target_days_of_cover
PHN-1,Phone One,Phones,Acme,49999,40000,12,,0.95,30
ACC-1,"Cable,
 two metres",Accessories,,12.50,,200,,0.9,14
GPU-1,Graphics Card,Graphics Cards,Zeta,89900,80000,-1,,0.99,45
PHN-1,Phone One again,Phones,Acme,1,1,1,,0.95,30
TAB-1,Tablet,Tablets,,29900,,5,,1.5,30
TAB-2,Tablet Two,Tablets,,29900
`,
        "transactions.csv":
          `order_ref,created_at,customer_code,sku,quantity,unit_price_cents,payment_method,channel,status
T-1,2025-01-01T10:00:00Z,C-1,PHN-1,1,49999,card,web,completed
T-1,2025-01-01T10:00:00Z,C-1,NOPE-1,1,100,card,web,completed
T-2,2025-01-02T11:30:00Z,C-404,PHN-1,1,49999,card,web,completed
T-3,2025-01-03,C-1,PHN-1,1,49999,card,web,completed
T-4,2025-01-04T10:00:00Z,C-1,PHN-1,0,49999,cash,web,completed
T-1,2025-01-01T10:05:00Z,C-2,PHN-1,1,49999,card,web,completed
`,
      });
      const summaries = await importPath(sql, dir, { rejectsDir: dir });
      const products = summaries.find((s) => s.kind === "products")!;
      assert.deepEqual(products.rejects, [
        { line: 3, reason: 'price_cents: must be a whole number, got "12.50"' },
        { line: 5, reason: 'stock_quantity: must be at least 0, got "-1"' },
        { line: 6, reason: 'Duplicate sku "PHN-1", first on line 2' },
        { line: 7, reason: 'service_level: must be below 1, got "1.5"' },
        { line: 8, reason: "Has 5 fields where the header has 10" },
      ]);
      assert.deepEqual([products.read, products.inserted, products.rejected], [6, 1, 5]);

      const offers = summaries.find((s) => s.kind === "product_suppliers")!;
      assert.deepEqual(offers.rejects, [
        { line: 4, reason: 'Unknown sku "ACC-1"' },
      ]);
      assert.deepEqual([offers.inserted, offers.rejected], [2, 1]);

      const transactions = summaries.find((s) => s.kind === "transactions")!;
      assert.deepEqual(transactions.rejects, [
        { line: 3, reason: 'Unknown sku "NOPE-1"' },
        { line: 4, reason: 'Unknown customer_code "C-404"' },
        { line: 5, reason: 'created_at: must be an ISO 8601 time with a zone, got "2025-01-03"' },
        { line: 6, reason: 'quantity: must be at least 1, got "0"' },
        { line: 7, reason: 'Order "T-1" has customer "C-1" on line 2, this line says "C-2"' },
      ]);
      assert.deepEqual([transactions.read, transactions.inserted, transactions.rejected], [6, 1, 5]);
      const [order] = await sql<{ total_cents: number; item_count: number }[]>`
        select total_cents, item_count from transactions where order_ref = 'T-1'`;
      assert.deepEqual({ ...order }, { total_cents: 49999, item_count: 1 });

      const rejectsFile = await Deno.readTextFile(join(dir, "transactions.csv.rejects.csv"));
      assert.equal(rejectsFile.split("\n")[0], "line,reason");
      assert.equal(rejectsFile.split("\n")[1], '3,"Unknown sku ""NOPE-1"""');
      assert.equal(transactions.rejectsFile, join(dir, "transactions.csv.rejects.csv"));
    });

    await emptyShop(sql);

    await t.step(
      "a transactions file may add identity columns and a known label: validated as the API does, then stored",
      async () => {
        const dir = await shopDir({
          "transactions.csv":
            `order_ref,created_at,customer_code,sku,quantity,unit_price_cents,payment_method,channel,status,email,ip_address,billing_country,device_id,fraud_label
T-1,2025-01-01T10:00:00Z,C-1,PHN-1,1,49999,card,web,completed,Ada@Example.com,203.0.113.7,gb,dev-1,fraud
T-1,2025-01-01T10:00:00Z,C-1,ACC-1,3,1499,card,web,completed,,,,,
T-2,2025-01-02T11:30:00Z,C-2,ACC-1,1,1499,card,web,completed,,,,,
T-3,2025-01-03T18:45:00Z,C-2,ACC-1,1,1299,card,store,completed,alan@example.com,300.1.1.1,GB,,
T-4,2025-01-03T18:45:00Z,C-2,ACC-1,1,1299,card,store,completed,,,XX,,
T-5,2025-01-03T18:45:00Z,C-2,ACC-1,1,1299,card,store,completed,,,,,maybe
`,
        });
        const summaries = await importPath(sql, dir, { rejectsDir: false });
        const transactions = summaries.find((s) => s.kind === "transactions")!;
        assert.deepEqual(transactions.rejects, [
          { line: 5, reason: 'ip_address: "300.1.1.1" is not an IPv4 or IPv6 address' },
          {
            line: 6,
            reason: 'billing_country: Use an ISO 3166-1 alpha-2 country code such as GB, US or DE, got "XX"',
          },
          { line: 7, reason: 'fraud_label: must be fraud, legit or blank, got "maybe"' },
        ]);
        // A known outcome in the file is the sale's label, as if an analyst had given it at the time
        const labels = await sql`select order_ref, fraud_label, labeled_by, labeled_at = created_at as at_sale
          from transactions order by order_ref`;
        assert.deepEqual(labels.map((row) => ({ ...row })), [
          { order_ref: "T-1", fraud_label: "fraud", labeled_by: "import", at_sale: true },
          { order_ref: "T-2", fraud_label: null, labeled_by: null, at_sale: null },
        ]);
        const rows =
          await sql`select order_ref, email, ip_address, billing_country, device_id from transactions
        order by order_ref`;
        assert.deepEqual(rows.map((row) => ({ ...row })), [
          {
            order_ref: "T-1",
            email: "ada@example.com",
            ip_address: "203.0.113.7",
            billing_country: "GB",
            device_id: "dev-1",
          },
          { order_ref: "T-2", email: null, ip_address: null, billing_country: null, device_id: null },
        ]);
      },
    );

    await emptyShop(sql);

    await t.step(
      "a wrong header anywhere in a directory applies nothing and names the expected columns",
      async () => {
        const dir = await shopDir({
          "customers.csv":
            "code,full_name,email,country,loyalty_tier,created_at\nC-1,Ada,,GB,gold,2024-01-10T09:00:00Z\n",
        });
        await assert.rejects(
          () => importPath(sql, dir, { rejectsDir: false }),
          (error: unknown) =>
            error instanceof ImportFileError &&
            error.message ===
              'Cannot import "customers.csv": header is "code,full_name,email,country,loyalty_tier,created_at" ' +
                '(missing "name"; extra "full_name"), it needs the columns code,name,email,country,loyalty_tier,created_at',
        );
        assert.deepEqual(Object.values(await tableCounts(sql)), [0, 0, 0, 0, 0, 0]);
      },
    );

    await t.step("an unreadable file applies nothing: missing, not gzip, or not UTF-8", async () => {
      await assert.rejects(
        () => importFile(sql, "/nonexistent/products.csv"),
        /Cannot import "products.csv": no such file/,
      );
      const dir = await shopDir();
      await Deno.writeTextFile(join(dir, "transactions.csv.gz"), "this is not gzip");
      await Deno.remove(join(dir, "transactions.csv"));
      await assert.rejects(() => importPath(sql, dir, { rejectsDir: false }), ImportFileError);
      const latin1 = join(dir, "customers.csv");
      await Deno.writeFile(
        latin1,
        new Uint8Array([
          ...new TextEncoder().encode("code,name,email,country,loyalty_tier,created_at\nC-9,Ren"),
          0xe9,
          0x0a,
        ]),
      );
      await assert.rejects(() => importFile(sql, latin1, { rejectsDir: false }), ImportFileError);
      assert.deepEqual(Object.values(await tableCounts(sql)), [0, 0, 0, 0, 0, 0]);
    });

    await t.step(
      "a file of unknown name is recognised by its header, and an unknown header is refused",
      async () => {
        const dir = await writeFiles({ "export.csv": shop["suppliers.csv"], "other.csv": "a,b\n1,2\n" });
        dirs.push(dir);
        const summary = await importFile(sql, join(dir, "export.csv"), { rejectsDir: false });
        assert.deepEqual([summary.kind, summary.inserted], ["suppliers", 2]);
        await assert.rejects(
          () => importFile(sql, join(dir, "other.csv")),
          /Cannot import "other.csv": header is "a,b"; it needs the columns of suppliers \(code,name,email,country,reliability\)/,
        );
      },
    );

    await emptyShop(sql);

    await t.step("strict mode applies nothing when a row is rejected, in any file", async () => {
      const bad = await shopDir({
        "transactions.csv": shop["transactions.csv"] +
          "T-9,2025-01-09T10:00:00Z,C-1,NOPE-1,1,100,card,web,completed\n",
      });
      const summaries = await importPath(sql, bad, { strict: true, rejectsDir: false });
      assert.ok(summaries.every((s) => !s.applied && s.inserted === 0));
      assert.deepEqual(summaries[4].rejects, [{ line: 6, reason: 'Unknown sku "NOPE-1"' }]);
      assert.deepEqual(Object.values(await tableCounts(sql)), [0, 0, 0, 0, 0, 0]);

      const parseError = await shopDir({ "suppliers.csv": shop["suppliers.csv"] + "SUP-3,Third,,GB,high\n" });
      const rejected = await importPath(sql, parseError, { strict: true, rejectsDir: false });
      assert.deepEqual(rejected[0].rejects, [{
        line: 4,
        reason: 'reliability: must be a decimal number, got "high"',
      }]);
      assert.deepEqual(Object.values(await tableCounts(sql)), [0, 0, 0, 0, 0, 0]);

      const good = await importPath(sql, await shopDir(), { strict: true, rejectsDir: false });
      assert.ok(good.every((s) => s.applied && s.rejected === 0));
      assert.equal((await tableCounts(sql)).transactions, 3);
    });

    await emptyShop(sql);

    await t.step(
      "a time shift moves orders and sign-ups together so the newest order is at shiftTo",
      async () => {
        const shiftTo = new Date("2026-05-01T12:00:00Z");
        await importPath(sql, await shopDir(), { shiftTo, rejectsDir: false });
        const [times] = await sql<{ newest: Date; oldest: Date; ada: Date }[]>`
        select max(created_at) as newest, min(created_at) as oldest,
          (select created_at from customers where code = 'C-1') as ada
        from transactions`;
        // The newest order was 2025-01-03T18:45Z: everything moves by the same amount
        const shiftMs = shiftTo.getTime() - Date.parse("2025-01-03T18:45:00Z");
        assert.equal(times.newest.toISOString(), shiftTo.toISOString());
        assert.equal(times.oldest.getTime(), Date.parse("2025-01-01T10:00:00Z") + shiftMs);
        assert.equal(times.ada.getTime(), Date.parse("2024-01-10T09:00:00Z") + shiftMs);
      },
    );
  } finally {
    for (const dir of dirs) await Deno.remove(dir, { recursive: true });
    await db.close();
  }
});
