import assert from "node:assert/strict";
import { billingAndShipping, countryName } from "./country_names.ts";

Deno.test("billingAndShipping() names the countries, once when they are the same, and says which was not sent", () => {
  const cases: [string | null, string | null, string | null][] = [
    ["IE", "IE", "Ireland (billing and shipping)"],
    ["IE", "GB", "billing Ireland · shipping United Kingdom"],
    ["DE", null, "billing Germany · shipping not given"],
    [null, "US", "billing not given · shipping United States"],
    [null, null, null],
  ];
  for (const [billing, shipping, words] of cases) {
    assert.equal(billingAndShipping(billing, shipping), words, `${billing} ${shipping}`);
  }
});

Deno.test("countryName() keeps a code it cannot name as stored", () => {
  assert.equal(countryName("gb"), "United Kingdom");
  assert.equal(countryName("1"), "1");
});
