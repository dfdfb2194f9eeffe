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
  [
    "DATABASE_URL",
    "mysql://localhost/db",
    /^Invalid DATABASE_URL: Enter a PostgreSQL address, like postgres:\/\//,
  ],
  ["DATABASE_URL", "notaurl", /^Invalid DATABASE_URL: Enter a PostgreSQL address/],
  ["REDIS_URL", "not a url", /^Invalid REDIS_URL: Enter a Redis address, like redis:\/\//],
  ["REDIS_URL", "http://127.0.0.1:6379", /^Invalid REDIS_URL: Enter a Redis address/],
  ["STORE_TZ", "Mars/Olympus", /^Invalid STORE_TZ: must be an IANA time zone/],
  ["LOG_LEVEL", "loud", /^Invalid LOG_LEVEL: /],
  ["STORE_CURRENCY", "POUNDS", /^Invalid STORE_CURRENCY: must be an ISO 4217 currency code/],
  ["STORE_CURRENCY", "gbp", /^Invalid STORE_CURRENCY: /],
  ["STORE_LOCALE", "not a locale!", /^Invalid STORE_LOCALE: must be a BCP 47 locale/],
  ["ADMIN_PASSWORD", "short", /^Invalid ADMIN_PASSWORD: must be at least 12 characters/],
  [
    "ALERT_WEBHOOK_URL",
    "http://169.254.169.254/latest/meta-data/",
    /^Invalid ALERT_WEBHOOK_URL: .*link-local/,
  ],
  ["ALERT_WEBHOOK_URL", "http://user:pass@hooks.example.com/", /^Invalid ALERT_WEBHOOK_URL: .*user name/],
  ["TRUSTED_PROXIES", "proxy.local", /^Invalid TRUSTED_PROXIES: "proxy.local" is not an address/],
  ["OUTBOUND_ALLOWLIST", "10.0.0.0/99", /^Invalid OUTBOUND_ALLOWLIST: "10.0.0.0\/99" is neither/],
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

Deno.test("loadConfig() lets ALERT_WEBHOOK_URL reach an internal host that OUTBOUND_ALLOWLIST names", () => {
  const config = loadConfig({
    ALERT_WEBHOOK_URL: "http://127.0.0.1:9000/hook",
    OUTBOUND_ALLOWLIST: "127.0.0.1",
  });
  assert.equal(config.ALERT_WEBHOOK_URL, "http://127.0.0.1:9000/hook");
  assert.equal(config.OUTBOUND_ALLOWLIST.networks.length, 1);
});

Deno.test("loadConfig() reads the shop's currency and locale, GBP and en-GB by default", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.STORE_CURRENCY, "GBP");
  assert.equal(defaults.STORE_LOCALE, "en-GB");
  const euro = loadConfig({ STORE_CURRENCY: "EUR", STORE_LOCALE: "de-DE" });
  assert.equal(euro.STORE_CURRENCY, "EUR");
  assert.equal(euro.STORE_LOCALE, "de-DE");
});
