import assert from "node:assert/strict";
import { connect } from "./sql.ts";
import { DataDirLockedError, startEmbeddedPostgres } from "./embedded.ts";

Deno.test("the embedded database keeps its data across restarts and refuses a second opener", async () => {
  const dir = await Deno.makeTempDir({ prefix: "techmart-embedded-" });
  try {
    const first = await startEmbeddedPostgres(dir);
    try {
      const sql = connect(first.url, { max: 1, idleTimeout: 0 });
      await sql`create table kept (value text)`;
      await sql`insert into kept values ('still here')`;
      await sql.end();

      await assert.rejects(
        () => startEmbeddedPostgres(dir),
        (error: unknown) =>
          error instanceof DataDirLockedError &&
          error.message.includes("another TechMart process is using it"),
      );
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(dir);
    try {
      const sql = connect(second.url, { max: 1, idleTimeout: 0 });
      const rows = await sql<{ value: string }[]>`select value from kept`;
      await sql.end();
      assert.deepEqual(rows.map((row) => row.value), ["still here"]);
    } finally {
      await second.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
