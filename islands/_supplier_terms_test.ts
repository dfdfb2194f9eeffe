import assert from "node:assert/strict";
import { describeTerms, draftOfTerms, parseSupplierTerms, termsFieldErrors } from "./_supplier_terms.ts";

const shop = /£/; // the test process formats in the default shop currency

Deno.test("parseSupplierTerms() reads units and amounts as typed, sorted by starting quantity", () => {
  assert.deepEqual(
    parseSupplierTerms({
      orderMultiple: " 100 ",
      priceBreaks: [{ minQty: "1,000", unitCost: "£9.00" }, { minQty: "200", unitCost: "9.5" }],
    }),
    {
      ok: true,
      terms: {
        orderMultiple: 100,
        priceBreaks: [{ minQty: 200, unitCostCents: 950 }, { minQty: 1000, unitCostCents: 900 }],
      },
    },
  );
  assert.deepEqual(parseSupplierTerms({ orderMultiple: "1", priceBreaks: [] }), {
    ok: true,
    terms: { orderMultiple: 1, priceBreaks: [] },
  });
});

Deno.test("parseSupplierTerms() refuses bad input field by field in units and money, never in pence", () => {
  const bad = ["", "0", "-4", "2.5", "abc", "1'; drop table products; --", "9".repeat(400), "100001"];
  for (const text of bad) {
    const result = parseSupplierTerms({
      orderMultiple: text,
      priceBreaks: [{ minQty: text, unitCost: text }],
    });
    assert.equal(result.ok, false, text);
    if (result.ok) continue;
    assert.match(
      result.errors.orderMultiple,
      /^Pack size must be a whole number of units between 1 and 100,000$/,
    );
    if (text !== "100001") {
      assert.match(result.errors["priceBreaks.0.minQty"], /^A price break starts at a whole number of units/);
    }
    if (!["0", "2.5", "100001"].includes(text)) {
      assert.match(
        result.errors["priceBreaks.0.unitCost"],
        /^Unit cost must be an amount between £0\.00 and £1,000,000\.00$/,
      );
    }
    for (const message of Object.values(result.errors)) {
      assert.doesNotMatch(message, /expected|received|cents|\{"|100000000/);
    }
  }
  assert.match(describeTerms({ orderMultiple: 1, priceBreaks: [] }), /by the unit/);
  assert.match(describeTerms({ orderMultiple: 6, priceBreaks: [{ minQty: 12, unitCostCents: 450 }] }), shop);
});

Deno.test("parseSupplierTerms() names a repeated starting quantity on the repeat, and caps the list", () => {
  const result = parseSupplierTerms({
    orderMultiple: "10",
    priceBreaks: [{ minQty: "200", unitCost: "9.50" }, { minQty: "200", unitCost: "9.00" }],
  });
  assert.deepEqual(result, {
    ok: false,
    errors: {
      "priceBreaks.1.minQty": "Two price breaks start at 200 units: give each its own starting quantity",
    },
  });
  const many = parseSupplierTerms({
    orderMultiple: "1",
    priceBreaks: Array.from({ length: 21 }, (_, i) => ({ minQty: String(i + 1), unitCost: "1" })),
  });
  assert.equal(many.ok, false);
  if (!many.ok) assert.match(many.errors.priceBreaks, /at most 20/);
});

Deno.test("termsFieldErrors() words the server's issues like the form's own, and draftOfTerms() round-trips", () => {
  assert.deepEqual(
    termsFieldErrors([{
      path: "priceBreaks.0.unitCostCents",
      message: "Too big: expected number to be <=100000000",
    }]),
    { "priceBreaks.0.unitCost": "Unit cost must be an amount between £0.00 and £1,000,000.00" },
  );
  const terms = { orderMultiple: 12, priceBreaks: [{ minQty: 24, unitCostCents: 1_050 }] };
  assert.deepEqual(parseSupplierTerms(draftOfTerms(terms)), { ok: true, terms });
});
