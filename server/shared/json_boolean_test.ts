import assert from "node:assert/strict";
import { z } from "zod";
import { coerceSchema } from "trpc-to-openapi";
import { jsonBoolean } from "./json_boolean.ts";

Deno.test("jsonBoolean: true and false only, even after trpc-to-openapi's coercion", () => {
  const input = z.object({ on: jsonBoolean("on is true or false") });
  coerceSchema(input as never);
  assert.deepEqual(input.parse({ on: true }), { on: true });
  assert.deepEqual(input.parse({ on: false }), { on: false });
  for (const bad of ["false", "true", "no", 1, 0, null, {}]) {
    const parsed = input.safeParse({ on: bad });
    assert.equal(parsed.success, false, JSON.stringify(bad));
    assert.equal(parsed.error!.issues[0].message, "on is true or false");
  }
  // what a plain boolean does under the same coercion: the reason this schema exists
  const plain = z.object({ on: z.boolean() });
  coerceSchema(plain as never);
  assert.deepEqual(plain.parse({ on: "false" }), { on: true });
});
