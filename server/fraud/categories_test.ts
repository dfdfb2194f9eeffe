import assert from "node:assert/strict";
import { catalog } from "../../data/catalog.ts";
import { fraudCategory, HIGH_RESALE_CATEGORIES } from "./categories.ts";
import { highResaleUnits } from "./checks/high_resale.ts";
import { DEFAULT_FRAUD_RULES } from "./rules.ts";

Deno.test("fraudCategory() slugs catalog names the way the rules spell them", () => {
  assert.equal(fraudCategory("Graphics Cards"), "graphics_cards");
  assert.equal(fraudCategory(" Gift Cards "), "gift_cards");
  assert.equal(fraudCategory("Smart-Home & IoT"), "smart_home_iot");
  assert.equal(fraudCategory("phones"), "phones");
});

Deno.test("every high-resale category of the default rules is a category of the catalog", () => {
  const catalogSlugs = new Set(catalog.map((category) => fraudCategory(category.name)));
  assert.deepEqual(DEFAULT_FRAUD_RULES.highResaleUnits.categories, [...HIGH_RESALE_CATEGORIES]);
  for (const category of DEFAULT_FRAUD_RULES.highResaleUnits.categories) {
    assert.ok(catalogSlugs.has(category), `"${category}" is not a catalog category`);
  }
});

Deno.test("highResaleUnits() matches rules written with display names as well as slugs", () => {
  const rules = {
    ...DEFAULT_FRAUD_RULES,
    highResaleUnits: { ...DEFAULT_FRAUD_RULES.highResaleUnits, categories: ["Graphics Cards"] },
  };
  const line = (category: string, quantity: number) => ({
    productId: 1,
    category,
    unitPriceCents: 1,
    quantity,
  });
  assert.equal(
    highResaleUnits([line("graphics_cards", 2), line("Graphics Cards", 1), line("phones", 5)], rules),
    3,
  );
});
