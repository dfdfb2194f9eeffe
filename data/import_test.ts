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
