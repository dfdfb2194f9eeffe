import assert from "node:assert/strict";
import { hasTransactionFilters, parseTransactionFilters } from "./transaction_filters.ts";

function parse(search: string, timeZone = "UTC") {
  return parseTransactionFilters(new URL(`http://shop.test/transactions${search}`), timeZone);
}

Deno.test("parseTransactionFilters() turns store days into an inclusive range and pounds into cents", () => {
  const { query, errors } = parse(
    "?status=refunded&from=2024-03-01&to=2024-03-02&min=10.5&max=200&category=Audio&suspicious=true",
  );
  assert.deepEqual(errors, {});
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

Deno.test("parseTransactionFilters() drops malformed values and explains each beside its field", () => {
  const { query, params, errors } = parse(
    "?status=lost&from=yesterday&min=-3&sort=amount&order=asc&cursor=abc",
  );
  assert.deepEqual(Object.keys(errors), ["status", "from", "min"]);
  assert.equal(errors.min, "Min amount must be an amount such as 25 or 19.99, up to 1,000,000,000");
  assert.deepEqual(query, { sort: "amount", order: "asc", cursor: "abc" });
  assert.equal(hasTransactionFilters(params), true, "the typed values are still shown, so Clear is offered");
  assert.equal(hasTransactionFilters(parse("?sort=amount").params), false);
});

Deno.test("parseTransactionFilters() explains a min above the max in the user's units and sends neither", () => {
  const { query, errors, params } = parse("?min=500&max=100");
  assert.deepEqual(errors, { max: "Max amount must be at least the min amount" });
  assert.equal(query.minAmountCents, undefined);
  assert.equal(query.maxAmountCents, undefined);
  assert.deepEqual([params.min, params.max], ["500", "100"], "the typed values are shown back");
  const dates = parse("?from=2024-03-05&to=2024-03-01");
  assert.deepEqual(dates.errors, { to: "To must be on or after the From date" });
  assert.equal(dates.query.from, undefined);
  // the same day on both ends is one whole day, not a contradiction
  assert.deepEqual(parse("?from=2024-03-05&to=2024-03-05").errors, {});
});

Deno.test("parseTransactionFilters() takes a chart's minute, a product and a segment (drill-through)", () => {
  const { params, query, errors } = parse(
    "?from=2024-03-01&to=2024-03-01&since=2024-03-01T10:05:00.000Z&until=2024-03-01T10:06:00.000Z" +
      "&product=42&segment=Champions",
  );
  assert.deepEqual(errors, {});
  // the span narrows the day's bounds
  assert.deepEqual([query.from, query.to], [
    new Date("2024-03-01T10:05:00Z"),
    new Date("2024-03-01T10:06:00Z"),
  ]);
  assert.equal(query.productId, 42);
  assert.equal(query.segment, "Champions");
  assert.equal(hasTransactionFilters(params), true);
  assert.equal(hasTransactionFilters(parse("?since=2024-03-01T10:00:00Z").params), true);
  // a span wider than the days leaves the days in force
  assert.deepEqual(
    parse("?from=2024-03-01&since=2024-02-01T00:00:00Z").query.from,
    new Date("2024-03-01T00:00:00Z"),
  );
  const bad = parse("?since=yesterday&until=2024-13-45T00:00:00Z&product=abc");
  assert.deepEqual(Object.keys(bad.errors).sort(), ["product", "since", "until"]);
  assert.equal(bad.query.from, undefined);
  assert.equal(bad.query.productId, undefined);
});
