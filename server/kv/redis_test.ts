import assert from "node:assert/strict";
import { createRedisKv } from "./redis.ts";
import { freePort } from "../testing/free_port.ts";

Deno.test("a Redis nobody answers at stops the start in words, its password hidden, instead of waiting forever", async () => {
  const port = freePort();
  // the start must end: a regression to waiting forever fails here instead of hanging the run
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("still waiting for Redis after 30 s")), 30_000);
  });
  await assert.rejects(
    () =>
      Promise.race([createRedisKv(`redis://:s3cret@127.0.0.1:${port}`), deadline]).finally(() =>
        clearTimeout(timer)
      ),
    (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`^Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
      );
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /Check REDIS_URL, or leave it unset/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    },
  );
});
