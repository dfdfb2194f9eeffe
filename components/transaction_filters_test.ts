import assert from "node:assert/strict";
import { hasTransactionFilters, parseTransactionFilters } from "./transaction_filters.ts";

function parse(search: string, timeZone = "UTC") {
  return parseTransactionFilters(new URL(`http://shop.test/transactions${search}`), timeZone);
}

Deno.test("parseTransactionFilters() turns store days into an inclusive range and pounds into cents", () => {
  const { query, ignored } = parse(
    "?status=refunded&from=2024-03-01&to=2024-03-02&min=10.5&max=200&category=Audio&suspicious=true",
  );
  assert.deepEqual(ignored, []);
  assert.deepEqual(query, {
    status: "refunded",
    from: new Date("2024-03-01T00:00:00Z"),
    to: new Date("2024-03-03T00:00:00Z"),
    minAmountCents: 1050,
    maxAmountCents: 20000,
    category: "Audio",
    suspicious: true,
    sort: "created",
    order: "desc",
  });
});

Deno.test("parseTransactionFilters() reads days in the store's time zone", () => {
  const { query } = parse("?from=2024-07-01", "Europe/London");
  assert.deepEqual(query.from, new Date("2024-06-30T23:00:00Z"));
});

Deno.test("parseTransactionFilters() drops malformed values and says which", () => {
  const { query, params, ignored } = parse(
    "?status=lost&from=yesterday&min=-3&sort=amount&order=asc&cursor=abc",
  );
  assert.deepEqual(ignored, ["status", "from", "min"]);
  assert.deepEqual(query, { sort: "amount", order: "asc", cursor: "abc" });
  assert.equal(hasTransactionFilters(params), true, "the typed values are still shown, so Clear is offered");
  assert.equal(hasTransactionFilters(parse("?sort=amount").params), false);
});
