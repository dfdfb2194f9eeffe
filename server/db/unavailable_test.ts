import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { isPostgresSocketRace } from "./postgres_guard.ts";
import { databaseUnavailableError, invalidValueError, isDatabaseUnavailable } from "./unavailable.ts";

Deno.test("isDatabaseUnavailable() recognises lost connections, also wrapped, and nothing else", () => {
  const coded = (code: string) => Object.assign(new Error("x"), { code });
  for (const code of ["ECONNREFUSED", "CONNECTION_CLOSED", "CONNECT_TIMEOUT", "57P01", "57P03", "08006"]) {
    assert.ok(isDatabaseUnavailable(coded(code)), code);
  }
  assert.ok(isDatabaseUnavailable(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: coded("57P01") })));
  assert.ok(isDatabaseUnavailable(databaseUnavailableError()));
  for (const code of ["23505", "42P01", "22P02", "40001"]) {
    assert.ok(!isDatabaseUnavailable(coded(code)), code);
  }
  assert.ok(!isDatabaseUnavailable(new TRPCError({ code: "BAD_REQUEST", message: "no" })));
  assert.ok(!isDatabaseUnavailable(undefined));
});

Deno.test("databaseUnavailableError() is a 503 SERVICE_UNAVAILABLE with a sentence", () => {
  const error = databaseUnavailableError();
  assert.equal(error.code, "SERVICE_UNAVAILABLE");
  assert.match(error.message, /^The database is not reachable right now/);
});

Deno.test("isPostgresSocketRace() matches only postgres.js's null-socket write", () => {
  const race = new TypeError("Cannot read properties of null (reading 'write')");
  race.stack =
    `${race.message}\n    at nextWrite (file:///cache/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:255:22)`;
  assert.ok(isPostgresSocketRace(race));
  const elsewhere = new TypeError("Cannot read properties of null (reading 'write')");
  elsewhere.stack = `${elsewhere.message}\n    at nextWrite (file:///work/main/server/other.ts:1:1)`;
  assert.ok(!isPostgresSocketRace(elsewhere));
  assert.ok(!isPostgresSocketRace(new Error("Cannot read properties of null (reading 'write')")));
});

Deno.test("invalidValueError() turns PostgreSQL data exceptions into 400s naming the value, and nothing else", () => {
  const outOfRange = Object.assign(new Error('"5e-324" is out of range for type real'), { code: "22003" });
  const error = invalidValueError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: outOfRange }));
  assert.equal(error?.code, "BAD_REQUEST");
  assert.equal(error?.message, 'Invalid value: "5e-324" is out of range for type real');
  assert.equal(invalidValueError(Object.assign(new Error("duplicate"), { code: "23505" })), undefined);
  assert.equal(invalidValueError(new Error("plain")), undefined);
});
