import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDatabase, type TestDatabase } from "../server/testing/test_database.ts";

const cli = fileURLToPath(new URL("./import.ts", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Runs `deno task import` as a user would: against a fresh server database, or an embedded one in a temp DATA_DIR. */
async function runImport(env: Record<string, string>, ...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    env: { ...env, LOG_LEVEL: "error" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("deno task import", async (t) => {
  const work = await Deno.makeTempDir({ prefix: "techmart-import-cli-" });
  let server: TestDatabase | undefined;
  const env: Record<string, string> = { DATA_DIR: join(work, "db") };
  if (Deno.env.get("DATABASE_URL")) {
    server = await openTestDatabase({ migrated: false });
    env.DATABASE_URL = server.url;
  } else {
    env.DATABASE_URL = "";
  }
  try {
    await t.step("imports the Online Retail slice, printing the summary and file:line rejects", async () => {
      // A copy, so the rejects file lands in the temporary folder rather than among the fixtures
      const slice = join(work, "online_retail_slice.csv.gz");
      await Deno.copyFile(join(fixtures, "online_retail_slice.csv.gz"), slice);
      const result = await runImport(env, slice, "--mapping", "online-retail");
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /2,009 rows read, 1,953 inserted, 0 already present, 56 rejected/);
      assert.match(result.stdout, /online_retail_slice\.csv\.gz:47: Non-product code "POST"/);
      assert.match(result.stdout, /created: 1,040 products, 71 customers, 91 transactions, 1,953 items/);
      const rejects = await Deno.readTextFile(`${slice}.rejects.csv`);
      assert.equal(rejects.trimEnd().split("\n").length, 1 + 56);
    });

    await t.step(
      "imported recent sales get the fraud prior's scores (a cold-start operating point at once)",
      async () => {
        const dir = join(work, "recent");
        await Deno.mkdir(dir);
        const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
        await Deno.writeTextFile(
          join(dir, "products.csv"),
          "sku,name,category,brand,price_cents,cost_cents,stock_quantity,reorder_point,service_level,target_days_of_cover\n" +
            "REC-1,Cable,Accessories,Acme,1999,900,500,,0.95,30\n",
        );
        const customers = Array.from(
          { length: 20 },
          (_, i) => `REC-C${i},Customer ${i},rec${i}@example.com,GB,bronze,2024-01-01T00:00:00.000Z`,
        );
        await Deno.writeTextFile(
          join(dir, "customers.csv"),
          ["code,name,email,country,loyalty_tier,created_at", ...customers].join("\n") + "\n",
        );
        // 30 sales on each of the 3 days before today, one long-gone sale
        const sales = [3, 2, 1].flatMap((d) =>
          Array.from(
            { length: 30 },
            (_, i) =>
              `REC-${d}-${i},${new Date(day - d * 86_400_000 + i * 1_800_000).toISOString()},REC-C${
                (i + d) % 20
              },REC-1,1,1999,card,web,completed`,
          )
        );
        sales.push("REC-OLD,2020-01-01T10:00:00.000Z,REC-C0,REC-1,1,1999,card,web,completed");
        await Deno.writeTextFile(
          join(dir, "transactions.csv"),
          [
            "order_ref,created_at,customer_code,sku,quantity,unit_price_cents,payment_method,channel,status",
            ...sales,
          ].join("\n") + "\n",
        );
        const result = await runImport(env, dir);
        assert.equal(result.code, 0, result.stderr + result.stdout);
        assert.match(result.stdout, /created: .*91 transactions/);
        assert.match(
          result.stdout,
          /Fraud screen: 90 imported sales of the last 90 days scored by the shipped prior/,
        );
      },
    );

    await t.step("exits 1 in strict mode when rows are rejected, and says nothing was applied", async () => {
      const dir = join(work, "strict");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(
        join(dir, "suppliers.csv"),
        "code,name,email,country,reliability\nS-1,One,,GB,2\n",
      );
      const result = await runImport(env, dir, "--strict");
      assert.equal(result.code, 1);
      assert.match(result.stdout, /suppliers\.csv:2: reliability: must be at most 1, got "2"/);
      assert.match(result.stdout, /nothing applied/);
    });

    await t.step("exits 1 with the expected columns when a header is wrong", async () => {
      const file = join(work, "products.csv");
      await Deno.writeTextFile(file, "sku,title\nA,B\n");
      const result = await runImport(env, file);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /Cannot import "products.csv": header is "sku,title".*it needs the columns sku,name,category/,
      );
      assert.match(result.stderr, /Nothing was imported/);
    });

    await t.step("refuses an unknown mapping", async () => {
      const result = await runImport(env, work, "--mapping", "nope");
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /Unknown mapping "nope": not a built-in one \(online-retail, shopify-orders, shopify-products, woocommerce-orders\) nor a file/,
      );
    });
  } finally {
    await server?.close();
    await Deno.remove(work, { recursive: true });
  }
});
