import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

Deno.test("loadConfig() fills defaults when the environment is empty", () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8000);
  assert.equal(config.DATA_DIR, ".data");
  assert.equal(config.STORE_TZ, "UTC");
  assert.equal(config.DATABASE_URL, undefined);
});

Deno.test("loadConfig() treats empty variables as unset", () => {
  assert.equal(loadConfig({ DATABASE_URL: "", PORT: "" }).PORT, 8000);
});

const badValues: [string, string, RegExp][] = [
  ["PORT", "eighty", /^Invalid PORT: /],
  ["PORT", "70000", /^Invalid PORT: /],
  ["DATABASE_URL", "mysql://localhost/db", /^Invalid DATABASE_URL: /],
  ["REDIS_URL", "not a url", /^Invalid REDIS_URL: /],
  ["STORE_TZ", "Mars/Olympus", /^Invalid STORE_TZ: must be an IANA time zone/],
  ["LOG_LEVEL", "loud", /^Invalid LOG_LEVEL: /],
  ["ADMIN_PASSWORD", "short", /^Invalid ADMIN_PASSWORD: must be at least 12 characters/],
];
for (const [variable, value, message] of badValues) {
  Deno.test(`loadConfig() refuses ${variable}=${value} with a message naming the variable`, () => {
    assert.throws(() => loadConfig({ [variable]: value }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      return true;
    });
  });
}

Deno.test("loadConfig() accepts real URLs and zones", () => {
  const config = loadConfig({
    DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
    REDIS_URL: "redis://127.0.0.1:6379",
    STORE_TZ: "Europe/London",
    PORT: "0",
  });
  assert.equal(config.STORE_TZ, "Europe/London");
  assert.equal(config.PORT, 0);
});
