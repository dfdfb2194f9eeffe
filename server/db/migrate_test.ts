import assert from "node:assert/strict";
import { openTestDatabase } from "../testing/test_database.ts";
import { connect } from "./sql.ts";
import { migrate, type Migration, MigrationError, readMigrations, schemaVersion } from "./migrate.ts";

Deno.test("migrate()", async (t) => {
  const db = await openTestDatabase({ migrated: false });
  const migrations = await readMigrations();
  try {
    await t.step("applies every migration on a fresh database, in order", async () => {
      const result = await migrate(db.sql, migrations);
      assert.deepEqual(result.applied, migrations.map((m) => m.name));
      assert.equal(await schemaVersion(db.sql), migrations.at(-1)!.version);
      const views = await db.sql<{ matviewname: string }[]>`select matviewname from pg_matviews order by 1`;
      for (
        const view of [
          "category_performance_mv",
          "customer_segments_mv",
          "hourly_sales_mv",
          "top_products_mv",
        ]
      ) assert.ok(views.some((row) => row.matviewname === view), `${view} exists`);
      // Read by no code, so dropped by 0090
      for (const view of ["dashboard_overview_mv", "supplier_performance_mv"]) {
        assert.ok(!views.some((row) => row.matviewname === view), `${view} is gone`);
      }
    });

    await t.step("a second run applies nothing", async () => {
      assert.deepEqual((await migrate(db.sql, migrations)).applied, []);
    });

    await t.step("an applied migration whose file was edited stops the run with its name", async () => {
      const edited = migrations.map((m, i) => i === 0 ? { ...m, checksum: "0".repeat(64) } : m);
      await assert.rejects(
        () => migrate(db.sql, edited),
        (error: unknown) =>
          error instanceof MigrationError &&
          /"0001_core_schema.sql" was edited after it was applied/.test(error.message),
      );
    });

    await t.step("a failing migration leaves nothing of itself behind", async () => {
      const broken: Migration = {
        version: 9_999,
        name: "9999_broken.sql",
        checksum: "x",
        sql: "create table half_done (id int); select * from no_such_table;",
      };
      await assert.rejects(() => migrate(db.sql, [...migrations, broken]), /9999_broken.sql" failed/);
      const [row] = await db.sql`select to_regclass('half_done') as table_name`;
      assert.equal(row.table_name, null);
      assert.equal(await schemaVersion(db.sql), migrations.at(-1)!.version);
    });
  } finally {
    await db.close();
  }
});

Deno.test("two migration runners starting together apply each migration once", async () => {
  const db = await openTestDatabase({ migrated: false });
  // A second pool stands in for a second app instance
  const other = connect(db.url, { max: 1, idleTimeout: 0 });
  try {
    const migrations = await readMigrations();
    if (db.kind === "embedded") {
      // PGlite serves one connection; two runners on one pool still race through the lock
      const results = await Promise.all([migrate(db.sql, migrations), migrate(db.sql, migrations)]);
      assert.equal(results[0].applied.length + results[1].applied.length, migrations.length);
    } else {
      const results = await Promise.all([migrate(db.sql, migrations), migrate(other, migrations)]);
      assert.equal(results[0].applied.length + results[1].applied.length, migrations.length);
    }
    const [count] = await db.sql`select count(*)::int as n from schema_migrations`;
    assert.equal(count.n, migrations.length);
  } finally {
    await other.end({ timeout: 1 });
    await db.close();
  }
});
