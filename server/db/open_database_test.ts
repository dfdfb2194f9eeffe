import assert from "node:assert/strict";
import { createLogger } from "../log.ts";
import { openDatabase } from "./mod.ts";
import { freePort } from "../testing/free_port.ts";

Deno.test("a PostgreSQL nobody answers at stops the start in words, its password hidden", async () => {
  const port = freePort();
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
