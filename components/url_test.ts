import assert from "node:assert/strict";
import { hrefWith, paramsOf, sortHref } from "./url.ts";

const page = new URL("http://shop.test/transactions?status=completed&cursor=abc&page=2&q=");

Deno.test("hrefWith() sets, replaces and removes parameters and keeps the others", () => {
  assert.equal(hrefWith(page, { cursor: undefined, page: null }), "/transactions?status=completed&q=");
  assert.equal(
    hrefWith(page, { status: "refunded", cursor: "" }),
    "/transactions?status=refunded&page=2&q=",
  );
  assert.equal(hrefWith(new URL("http://shop.test/products?a=1"), { a: undefined }), "/products");
  assert.equal(hrefWith(new URL("http://shop.test/p"), { suspicious: true }), "/p?suspicious=true");
});

Deno.test("paramsOf() keeps non-empty parameters except the ones left out", () => {
  assert.deepEqual(paramsOf(page, ["cursor"]), { status: "completed", page: "2" });
});

Deno.test("sortHref() flips the order of the sorted column and starts another at its first order", () => {
  const sorted = new URL("http://shop.test/products?sort=price&order=asc&cursor=x&category=Audio");
  assert.equal(
    sortHref(sorted, "price", { current: "price", order: "asc" }),
    "/products?sort=price&order=desc&category=Audio",
  );
  assert.equal(
    sortHref(sorted, "stock", { current: "price", order: "asc", firstOrder: "desc" }),
    "/products?sort=stock&order=desc&category=Audio",
  );
});
