import assert from "node:assert/strict";
import { createLogger } from "../log.ts";
import { openDatabase } from "./mod.ts";

Deno.test("a PostgreSQL nobody answers at stops the start in words, its password hidden", async () => {
  // a port that was free a moment ago: nothing listens there
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  await assert.rejects(
    () =>
      openDatabase(
        { DATABASE_URL: `postgres://shop:s3cret@127.0.0.1:${port}/shop`, DATA_DIR: "" },
        createLogger("error"),
      ),
    (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`^Cannot reach PostgreSQL at postgres://shop:\\*\\*\\*@127\\.0\\.0\\.1:${port}/shop`),
      );
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /Check DATABASE_URL, or leave it unset to use the embedded database$/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    },
  );
});
