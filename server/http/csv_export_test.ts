import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { insertRoleUsers, type Session, signInOverHttp } from "../auth/_auth_fixtures.ts";
import { insertProduct, insertSale } from "../inventory/inventory_fixtures.ts";
import { startTestApp, type TestApp } from "../testing/test_app.ts";

// 130 alerts (more than one 100-row page), every third one critical; one title is a formula
async function startExportApp(): Promise<TestApp> {
  return await startTestApp({
    prepare: async (services) => {
      await insertRoleUsers(services);
      const sql = services.db.sql;
      await sql`
        insert into alerts (type, severity, title, message, created_at)
        select 'stock', case when n % 3 = 0 then 'critical' else 'low' end, 'Alert ' || n,
               'Stock of item ' || n || ', "quoted"', now() - n * interval '1 minute'
        from generate_series(1, 130) as n`;
      await sql`
        insert into alerts (type, severity, title, message)
        values ('custom', 'high', '=HYPERLINK("http://evil.example","click")', '-2+3')`;
      const cable = await insertProduct(sql, {
        name: "Cable, USB-C",
        category: "Cables",
        priceCents: 1999,
        stock: 4,
      });
      const laptop = await insertProduct(sql, {
        name: "Laptop",
        category: "Computers",
        priceCents: 89900,
        stock: 2,
      });
      // 120 cable sales (more than one 100-row page) and one laptop sale
      for (let i = 0; i < 120; i++) {
        await insertSale(sql, {
          at: new Date(Date.now() - i * 60_000),
          items: [{ productId: cable, quantity: 1 }],
        });
      }
      await insertSale(sql, { at: new Date(), items: [{ productId: laptop, quantity: 1 }] });
    },
  });
}

async function download(app: TestApp, session: Session | null, path: string) {
  const response = await app.fetch(path, { headers: session ? { cookie: session.cookie } : {} });
  // keep the byte order mark: Response.text() would drop it
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { response, text };
}

function rowsOf(text: string): Record<string, string>[] {
  return parse(text.replace(/^\uFEFF/, ""), { columns: true });
}

Deno.test({
  name:
    "an analyst downloads every filtered alert as CSV, across several keyset pages, with formulas defused",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const app = await startExportApp();
    try {
      const analyst = await signInOverHttp(app, "analyst");
      const all = await download(app, analyst, "/export/alerts.csv");
      assert.equal(all.response.status, 200);
      assert.equal(all.response.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.match(
        all.response.headers.get("content-disposition") ?? "",
        /^attachment; filename="techmart-alerts-/,
      );
      assert.ok(all.text.startsWith("\uFEFFid,created_at,severity,"), "BOM, then the header line");
      const rows = rowsOf(all.text);
      assert.equal(rows.length, 131, "both pages of 100 and the rest, nothing twice");
      assert.equal(new Set(rows.map((row) => row.id)).size, 131);
      const formula = rows.find((row) => row.type === "custom")!;
      assert.equal(formula.title, `'=HYPERLINK("http://evil.example","click")`);
      assert.equal(formula.message, "'-2+3");
      assert.equal(rows.find((row) => row.title === "Alert 7")?.message, 'Stock of item 7, "quoted"');

      const critical = rowsOf((await download(app, analyst, "/export/alerts.csv?severity=critical")).text);
      assert.equal(critical.length, 43);
      assert.ok(critical.every((row) => row.severity === "critical"));
      const newestFirst = critical.map((row) => Date.parse(row.created_at));
      assert.deepEqual(newestFirst, [...newestFirst].sort((a, b) => b - a));
    } finally {
      await app.stop();
    }
  },
});

Deno.test({
  name: "a product export applies the page's search and writes prices as decimal pounds",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const app = await startExportApp();
    try {
      const manager = await signInOverHttp(app, "manager");
      const { response, text } = await download(app, manager, "/export/products.csv?search=usb");
      assert.equal(response.status, 200);
      const rows = rowsOf(text);
      assert.deepEqual(rows.map((row) => [row.name, row.category, row.price_gbp, row.stock]), [
        ["Cable, USB-C", "Cables", "19.99", "4"],
      ]);
    } finally {
      await app.stop();
    }
  },
});

Deno.test({
  name:
    "a transaction export reads the Transactions page's own filters (amounts in pounds) and pages through",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const app = await startExportApp();
    try {
      const analyst = await signInOverHttp(app, "analyst");
      const cables = rowsOf((await download(app, analyst, "/export/transactions.csv?max=20")).text);
      assert.equal(cables.length, 120);
      assert.ok(cables.every((row) => row.total_gbp === "19.99" && row.status === "completed"));
      const laptops = rowsOf(
        (await download(app, analyst, "/export/transactions.csv?min=100&sort=amount")).text,
      );
      assert.deepEqual(laptops.map((row) => row.total_gbp), ["899"]);
    } finally {
      await app.stop();
    }
  },
});

Deno.test({
  name: "exports refuse anonymous callers, viewers, unknown tables and bad filters with a message",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const app = await startExportApp();
    try {
      const anonymous = await download(app, null, "/export/alerts.csv");
      assert.equal(anonymous.response.status, 401);
      const browser = await app.fetch("/export/alerts.csv?severity=high", {
        headers: { accept: "text/html" },
        redirect: "manual",
      });
      assert.equal(browser.status, 303);
      assert.equal(browser.headers.get("location"), "/login?next=%2Fexport%2Falerts.csv%3Fseverity%3Dhigh");

      const viewer = await download(app, await signInOverHttp(app, "viewer"), "/export/alerts.csv");
      assert.equal(viewer.response.status, 403);
      assert.match(JSON.parse(viewer.text).error.message, /analyst role/);

      const analyst = await signInOverHttp(app, "analyst");
      assert.equal((await download(app, analyst, "/export/users.csv")).response.status, 404);
      assert.equal((await download(app, analyst, "/export/alerts.json")).response.status, 404);
      assert.equal((await download(app, analyst, "/export/constructor.csv")).response.status, 404);
      const bad = await download(app, analyst, "/export/alerts.csv?severity=apocalyptic");
      assert.equal(bad.response.status, 400);
      assert.match(JSON.parse(bad.text).error.message, /^severity: /);
    } finally {
      await app.stop();
    }
  },
});
