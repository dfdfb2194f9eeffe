/** Links that keep a page's state in its URL: filters, sort and page survive sharing and the back button. */

/** A query-string change: a value sets the parameter, `undefined`/`null`/`""` removes it. */
export type ParamChanges = Record<string, string | number | boolean | null | undefined>;

/**
 * The path and query of `url` with `changes` applied, for an `href`.
 * @param url the page's current URL
 * @param changes parameters to set or remove
 * @example hrefWith(new URL("http://x/t?status=completed&cursor=abc"), { cursor: undefined }) // "/t?status=completed"
 */
export function hrefWith(url: URL, changes: ParamChanges): string {
  const params = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === "" || value === false) params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/**
 * The page's query parameters as a plain object of non-empty strings, minus `omit`: what a
 * server-rendered filter form and an island need to rebuild the same links.
 * @param url the page's current URL
 * @param omit parameters to leave out (e.g. `["cursor"]`)
 */
export function paramsOf(url: URL, omit: string[] = []): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (value !== "" && !omit.includes(key)) params[key] = value;
  }
  return params;
}

/**
 * The sort link for a column header: clicking the sorted column flips its order, another column
 * starts with `firstOrder`; the cursor is dropped because a page of one sort means nothing in another.
 * @param url the page's current URL
 * @param sort the column's sort key
 * @param options the current sort and order, and the order a newly chosen column starts with
 */
export function sortHref(
  url: URL,
  sort: string,
  options: { current: string; order: "asc" | "desc"; firstOrder?: "asc" | "desc" },
): string {
  const order = sort === options.current
    ? (options.order === "asc" ? "desc" : "asc")
    : (options.firstOrder ?? "asc");
  return hrefWith(url, { sort, order, cursor: undefined, page: undefined });
}
