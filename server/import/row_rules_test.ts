import assert from "node:assert/strict";
// @ts-types="npm:@types/luxon@^3.7.6"
import { DateTime } from "luxon";
import { compileMapping } from "./declarative_mapping.ts";
import { builtInMappings } from "./mapping_registry.ts";
import { compileCondition, compileValue, RowLayout } from "./row_rules.ts";

function cellsOf(layout: RowLayout, fields: Record<string, string>): string[] {
  return layout.read(fields, []);
}

Deno.test("compileCondition() reads a number cell again whenever its text changes from row to row", () => {
  const layout = new RowLayout();
  const cheap = compileCondition({ column: "Price", below: 1 }, layout);
  const dear = compileCondition({ column: "Price", atLeast: 10 }, layout);
  const rows = ["0.5", "0.5", "12", "0.99", "abc", "10"];
  const answers = rows.map((price) => {
    const cells = cellsOf(layout, { Price: price });
    return [cheap(cells), dear(cells)];
  });
  assert.deepEqual(answers, [[true, false], [true, false], [false, true], [true, false], [false, false], [
    false,
    true,
  ]]);
});

Deno.test("compileValue() gives each row its own answer when it remembers the last one", () => {
  const layout = new RowLayout();
  const status = compileValue(
    {
      value: "completed",
      cases: [{ when: { column: "Invoice", matches: "^C" }, value: "refunded" }],
    },
    "status",
    layout,
  );
  const invoices = ["536365", "536365", "C536379", "C536379", "536380"];
  assert.deepEqual(
    invoices.map((invoice) => status(cellsOf(layout, { Invoice: invoice }))),
    ["completed", "completed", "refunded", "refunded", "completed"],
  );
});

Deno.test("a mapping reads numeric UTC times as Luxon does, and refuses the same impossible ones", () => {
  const spec = structuredClone(builtInMappings["online-retail"]);
  spec.rejectDuplicates = false;
  const mapRow = compileMapping(spec).createMapper();
  const row = {
    InvoiceNo: "536365",
    StockCode: "85123A",
    Description: "WHITE HANGING HEART T-LIGHT HOLDER",
    Quantity: "6",
    UnitPrice: "2.55",
    CustomerID: "17850.0",
    Country: "United Kingdom",
  };
  const texts = [
    "2010-12-01 08:26:00",
    "2010-12-01 08:26",
    "2012-02-29 23:59:59",
    "2011-02-29 10:00:00",
    "2011-13-01 10:00:00",
    "2011-12-09 24:00:00",
    "2011-12-09 12:60",
  ];
  for (const [i, text] of texts.entries()) {
    const mapped = mapRow({ ...row, InvoiceDate: text }, i + 2);
    const luxon = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"]
      .map((format) => DateTime.fromFormat(text, format, { zone: "UTC" }))
      .find((parsed) => parsed.isValid);
    if (luxon) {
      assert.ok(typeof mapped === "object" && "createdAt" in mapped, `${text} is read`);
      assert.equal(mapped.createdAt.getTime(), luxon.toMillis(), text);
    } else {
      assert.equal(typeof mapped, "string", `${text} is refused`);
      assert.match(mapped as string, /^InvoiceDate: is not a time in the format/);
    }
  }
});
