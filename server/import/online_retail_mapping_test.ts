import assert from "node:assert/strict";
import type { MappedRow, RowMapper } from "./mapping.ts";
import { findMapping } from "./mapping_registry.ts";

const onlineRetailMapping = findMapping("online-retail")!;

const base = {
  InvoiceNo: "536365",
  StockCode: "85123A",
  Description: "WHITE HANGING HEART T-LIGHT HOLDER",
  Quantity: "6",
  InvoiceDate: "2010-12-01 08:26:00",
  UnitPrice: "2.55",
  CustomerID: "17850.0",
  Country: "United Kingdom",
};

function mapOne(overrides: Partial<typeof base>): ReturnType<RowMapper> {
  return onlineRetailMapping.createMapper()({ ...base, ...overrides }, 2);
}

Deno.test("online-retail maps a sale to our terms: sku, pence, OR-<customer>, UTC time", () => {
  assert.deepEqual(mapOne({}), {
    orderRef: "536365",
    createdAt: new Date("2010-12-01T08:26:00Z"),
    customer: { code: "OR-17850", name: "Customer 17850", country: "United Kingdom" },
    product: {
      sku: "85123A",
      name: "WHITE HANGING HEART T-LIGHT HOLDER",
      category: "Candles & Lighting",
      brand: null,
    },
    quantity: 6,
    unitPriceCents: 255,
    paymentMethod: "card",
    channel: "web",
    status: "completed",
  });
});

Deno.test("online-retail turns a C invoice into a refund with a positive quantity", () => {
  const row = mapOne({ InvoiceNo: "C536379", Quantity: "-12" }) as MappedRow;
  assert.deepEqual([row.orderRef, row.status, row.quantity], ["C536379", "refunded", 12]);
});

Deno.test("online-retail leaves the customer empty when CustomerID is, and upper-cases stock codes", () => {
  const row = mapOne({ CustomerID: "", StockCode: "15056bl" }) as MappedRow;
  assert.equal(row.customer, null);
  assert.equal(row.product.sku, "15056BL");
});

Deno.test("online-retail rejects every kind of dirty row with its reason", () => {
  const cases: [Partial<typeof base>, string][] = [
    [{ StockCode: "POST" }, 'Non-product code "POST"'],
    [{ StockCode: "BANK CHARGES" }, 'Non-product code "BANK CHARGES"'],
    [{ StockCode: "gift_0001_40" }, 'Non-product code "gift_0001_40"'],
    [{ InvoiceNo: "A563185", StockCode: "B" }, 'Bad-debt adjustment invoice "A563185"'],
    [{ Description: "" }, "Missing description"],
    [{ UnitPrice: "0.0" }, "UnitPrice 0 is not above zero"],
    [{ UnitPrice: "-11062.06" }, "UnitPrice -11062.06 is not above zero"],
    [{ UnitPrice: "0.001" }, "UnitPrice 0.001 is below one penny"],
    [{ Quantity: "0" }, "Quantity is zero"],
    [{ Quantity: "-10" }, "Negative quantity -10 outside a cancellation invoice"],
    [{ InvoiceNo: "C536379", Quantity: "3" }, 'Positive quantity 3 in cancellation invoice "C536379"'],
    [{ Quantity: "six" }, 'Quantity: must be a whole number, got "six"'],
    [{ InvoiceDate: "01/12/2010 08:26" }, 'InvoiceDate: must be YYYY-MM-DD HH:MM:SS, got "01/12/2010 08:26"'],
    [{ CustomerID: "abc" }, 'CustomerID: must be a number such as "17850.0" or empty, got "abc"'],
  ];
  for (const [overrides, reason] of cases) assert.equal(mapOne(overrides), reason, JSON.stringify(overrides));
});

Deno.test("online-retail rejects an exact duplicate row, naming the line it repeats", () => {
  const mapRow = onlineRetailMapping.createMapper();
  assert.equal(typeof mapRow(base, 2), "object");
  assert.equal(typeof mapRow({ ...base, Quantity: "7" }, 3), "object");
  assert.equal(mapRow(base, 4), "Exact duplicate of line 2");
});

Deno.test("online-retail derives a category from keywords and falls back to Gifts & Homeware", () => {
  const categoryOf = (Description: string) => (mapOne({ Description }) as MappedRow).product.category;
  assert.equal(categoryOf("PAPER CHAIN KIT 50'S CHRISTMAS"), "Christmas");
  assert.equal(categoryOf("JUMBO BAG RED RETROSPOT"), "Bags");
  assert.equal(categoryOf("SET OF 3 CAKE TINS PANTRY DESIGN"), "Kitchen & Dining");
  assert.equal(categoryOf("ASSORTED COLOUR BIRD ORNAMENT"), "Garden");
  assert.equal(categoryOf("KNITTED UNION FLAG HOT WATER BOTTLE"), "Kitchen & Dining");
  assert.equal(categoryOf("SET 7 BABUSHKA NESTING BOXES"), "Gifts & Homeware");
});
