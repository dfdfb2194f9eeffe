import assert from "node:assert/strict";
import { z } from "zod";
import { fieldErrorsOf, serverErrorOf } from "./form_errors.ts";

Deno.test("fieldErrorsOf() keys the first message of each field by its dotted path", () => {
  const schema = z.object({
    customerId: z.number().int().min(1),
    items: z.array(z.object({ quantity: z.number().int().min(1) })),
  });
  const result = schema.safeParse({ customerId: 0, items: [{ quantity: 0 }] });
  assert.equal(result.success, false);
  const errors = fieldErrorsOf(result.error!.issues);
  assert.deepEqual(Object.keys(errors).sort(), ["customerId", "items.0.quantity"]);
  assert.match(errors["items.0.quantity"], />=\s*1/);
});

Deno.test("serverErrorOf() keeps the server's sentence and its field issues", () => {
  const error = Object.assign(new Error('Not enough stock of "Laptop": 2 left'), {
    data: { code: "CONFLICT", issues: [{ path: "items.0.quantity", message: "Too many" }] },
  });
  assert.deepEqual(serverErrorOf(error), {
    message: 'Not enough stock of "Laptop": 2 left',
    fields: { "items.0.quantity": "Too many" },
  });
});

Deno.test("serverErrorOf() turns a network failure into a sentence a user can act on", () => {
  const { message, fields } = serverErrorOf(new TypeError("Failed to fetch"));
  assert.match(message, /Could not reach the server/);
  assert.deepEqual(fields, {});
});
