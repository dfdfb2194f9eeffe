import assert from "node:assert/strict";
import { z } from "zod";
import { plainIssueMessage, usePlainValidationMessages } from "./plain_validation.ts";

usePlainValidationMessages();

function messagesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false);
  return result.error!.issues.map((issue) => issue.message);
}

Deno.test("zod refusals read as sentences: whole numbers, bounds, required, choices", () => {
  const schema = z.object({
    customerId: z.number().int().min(1),
    quantity: z.number().int().max(1000),
    name: z.string().min(1).max(200),
    method: z.enum(["card", "paypal"]),
  });
  assert.deepEqual(messagesOf(schema, { customerId: 0, quantity: 1.5, name: "", method: "bitcoin" }), [
    "Must be 1 or more",
    "Must be a whole number",
    "This is required",
    "Choose one of: card, paypal",
  ]);
  assert.deepEqual(messagesOf(schema, { customerId: NaN, quantity: 5000, name: "x".repeat(201) }), [
    "Enter a number",
    "Must be 1,000 or less",
    "Use at most 200 characters",
    "This is required",
  ]);
});

Deno.test("amounts in fields named ...Cents are refused in the shop's money, never in pence", () => {
  const schema = z.object({
    items: z.array(z.object({ priceCents: z.number().int().min(1).max(10_000_000_000) })),
  });
  const [tooBig] = messagesOf(schema, { items: [{ priceCents: 10_000_000_001 }] });
  assert.equal(tooBig, "Must be £100,000,000.00 or less");
  assert.doesNotMatch(tooBig, /\d{9,}/);
  assert.equal(messagesOf(schema, { items: [{ priceCents: 0 }] })[0], "Must be £0.01 or more");
});

Deno.test("a schema's own message wins, and an unknown code keeps zod's", () => {
  assert.deepEqual(messagesOf(z.number().min(1, "A pack holds at least 1 unit"), 0), [
    "A pack holds at least 1 unit",
  ]);
  assert.equal(plainIssueMessage({ code: "something_new" }), undefined);
  for (const message of messagesOf(z.object({ a: z.number(), b: z.string().email() }), { a: "x", b: "y" })) {
    assert.doesNotMatch(message, /expected|received|Invalid|<=|>=/);
  }
});
