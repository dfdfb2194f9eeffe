import assert from "node:assert/strict";
import { signInOverHttp, startAuthTestApp } from "../auth/_auth_fixtures.ts";
import { insertProduct } from "../transactions/transactions_fixtures.ts";
import { insertCatalogFixtures } from "./catalog_fixtures.ts";

/** Each row's supplier lines as the page prints them, by product id. */
function supplierLines(html: string): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const row of html.matchAll(/<tr[^>]*data-product-id="(\d+)"[^>]*>(.*?)<\/tr>/gs)) {
    const lines = [...row[2].matchAll(/<li>(.*?)<\/li>/gs)].map((item) => item[1].replace(/<[^>]+>/g, " "));
    rows.set(Number(row[1]), lines.map((line) => line.replace(/\s+/g, " ").trim()));
  }
  return rows;
}

Deno.test("the Products page lists each row's suppliers, cheapest first, and says none where there is none", async () => {
  const app = await startAuthTestApp();
  try {
    const { sql } = app.services.db;
    const fixtures = await insertCatalogFixtures(sql);
    const bare = await insertProduct(sql, { name: "Bare cable", category: "Audio" });
    const viewer = await signInOverHttp(app, "viewer");
    const response = await app.fetch("/products?status=all&sort=id", { headers: { cookie: viewer.cookie } });
    assert.equal(response.status, 200);
    const html = await response.text();
    const rows = supplierLines(html);
    assert.deepEqual([...rows.keys()], [...fixtures.productIds, bare]);
    fixtures.productIds.forEach((id, index) => {
      const acme = `Acme Components 7 d · £${60 + index * 10}.00`;
      const globex = `Globex Wholesale 14 d · £${55 + index * 10}.00`;
      assert.deepEqual(rows.get(id), index % 2 === 0 ? [globex, acme] : [acme], `product ${index + 1}`);
    });
    assert.deepEqual(rows.get(bare), []);
    assert.match(html.match(new RegExp(`data-product-id="${bare}".*?</tr>`, "s"))![0], />none</);
  } finally {
    await app.stop();
  }
});
