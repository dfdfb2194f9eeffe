import assert from "node:assert/strict";
import { createMappedDataset, mostFrequent } from "./mapped_dataset.ts";
import type { MappedRow } from "./mapping.ts";

function row(overrides: Partial<MappedRow> & { name?: string }): MappedRow {
  const { name, ...rest } = overrides;
  return {
    orderRef: "1",
    createdAt: new Date("2011-01-01T10:00:00Z"),
    customer: { code: "OR-1", name: "Customer 1", country: "United Kingdom" },
    product: { sku: "85123A", name: name ?? "HEART HOLDER", category: "Gifts & Homeware", brand: null },
    quantity: 1,
    unitPriceCents: 255,
    paymentMethod: "card",
    channel: "web",
    status: "completed",
    ...rest,
  };
}

Deno.test("createMappedDataset() names and prices a product by its most frequent description and sale price", () => {
  const dataset = createMappedDataset();
  dataset.add(row({ orderRef: "1", unitPriceCents: 295, name: "heart holder" }), 2);
  dataset.add(row({ orderRef: "2", unitPriceCents: 255 }), 3);
  dataset.add(row({ orderRef: "3", unitPriceCents: 255 }), 4);
  // Refunds repeat an old price and do not count towards today's
  dataset.add(row({ orderRef: "C4", unitPriceCents: 295, status: "refunded" }), 5);
  dataset.add(row({ orderRef: "C5", unitPriceCents: 295, status: "refunded" }), 6);
  const { products } = dataset.build();
  assert.deepEqual(products, [
    { sku: "85123A", name: "HEART HOLDER", category: "Gifts & Homeware", brand: null, priceCents: 255 },
  ]);
});

Deno.test("createMappedDataset() prices a product seen only in refunds by the refunded price", () => {
  const dataset = createMappedDataset();
  dataset.add(row({ orderRef: "C1", unitPriceCents: 415, status: "refunded" }), 2);
  assert.equal(dataset.build().products[0].priceCents, 415);
});

Deno.test("createMappedDataset() dates a customer by their first order and skips anonymous rows", () => {
  const dataset = createMappedDataset();
  dataset.add(row({ orderRef: "2", createdAt: new Date("2011-03-01T00:00:00Z") }), 2);
  dataset.add(row({ orderRef: "1", createdAt: new Date("2011-02-01T00:00:00Z") }), 3);
  dataset.add(row({ orderRef: "3", customer: null }), 4);
  const { customers, orders } = dataset.build();
  assert.deepEqual(customers, [
    {
      code: "OR-1",
      name: "Customer 1",
      country: "United Kingdom",
      createdAt: new Date("2011-02-01T00:00:00Z"),
    },
  ]);
  assert.equal(orders.get("3")!.customerCode, null);
});

Deno.test("mostFrequent() keeps the first of equally frequent values", () => {
  assert.equal(mostFrequent(new Map([["a", 2], ["b", 2], ["c", 1]])), "a");
  assert.equal(mostFrequent(new Map()), undefined);
});
