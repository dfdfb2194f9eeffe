/**
 * The one place where the catalog's category names and the fraud rules' category list meet. The catalog
 * keeps display names ("Graphics Cards"); the rules, the labeled streams and the history query compare
 * slugs ("graphics_cards"), so an admin may type either spelling and both still match.
 */

/**
 * A category name as the fraud rules compare it.
 * @example fraudCategory("Gift Cards") // "gift_cards"
 */
export function fraudCategory(category: string): string {
  return category.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
}

/** Catalog categories (as in `data/catalog.ts` and `data/sample/products.csv`) that are easy to resell. */
export const HIGH_RESALE_CATALOG_CATEGORIES: readonly string[] = ["Phones", "Graphics Cards", "Gift Cards"];

/** The rules' high-resale list: the catalog names above, as slugs. */
export const HIGH_RESALE_CATEGORIES: readonly string[] = HIGH_RESALE_CATALOG_CATEGORIES.map(fraudCategory);
