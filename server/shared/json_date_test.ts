import assert from "node:assert/strict";
import { jsonDateTime } from "./json_date.ts";

Deno.test("jsonDateTime takes ISO 8601 text or a Date, and refuses numbers, booleans and loose text", () => {
  const schema = jsonDateTime("at is a time");
  assert.equal(schema.parse("2026-12-07T10:00:00Z").toISOString(), "2026-12-07T10:00:00.000Z");
  assert.equal(schema.parse("2026-12-07T10:00:00+01:00").toISOString(), "2026-12-07T09:00:00.000Z");
  assert.equal(
    schema.parse("2026-12-07T10:00:00").toISOString(),
    "2026-12-07T10:00:00.000Z",
    "no offset: UTC",
  );
  assert.equal(schema.parse("2026-12-07").toISOString(), "2026-12-07T00:00:00.000Z");
  const date = new Date("2026-01-02T03:04:05Z");
  assert.equal(schema.parse(date), date);
  for (const bad of [true, false, 1, 0, "1", "tomorrow", "Dec 7 2026", "2026-13-45", null, {}]) {
    const result = schema.safeParse(bad);
    assert.equal(result.success, false, JSON.stringify(bad));
    assert.equal(result.error?.issues[0].message, "at is a time");
  }
});
