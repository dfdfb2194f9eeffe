import { hrefWith } from "./url.ts";

export interface PagerProps {
  /** the page's current URL: the links keep every filter and the sort */
  url: URL;
  /** the API's `nextCursor`; null on the last page */
  nextCursor: string | null;
  /** rows on this page */
  count: number;
  /** what the rows are, plural ("transactions") */
  noun: string;
}

/**
 * Keyset paging as links: "Next" carries the cursor (and a page number for display), "First page"
 * drops both. The browser's back button is the way to the previous page, as with any link.
 */
export function Pager({ url, nextCursor, count, noun }: PagerProps) {
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  const onFirst = !url.searchParams.has("cursor");
  return (
    <nav class="pager" aria-label={`Pages of ${noun}`}>
      <span data-testid="pager-status">
        {/* "shown": the page's rows, so "25 products" does not read as the total next to a header's "186" */}
        Page {page} · {count} {noun} shown
        {nextCursor ? "" : " · end of list"}
      </span>
      <span class="pager-links">
        {!onFirst && (
          <a class="button small secondary" href={hrefWith(url, { cursor: undefined, page: undefined })}>
            « First page
          </a>
        )}
        {nextCursor
          ? (
            <a class="button small" rel="next" href={hrefWith(url, { cursor: nextCursor, page: page + 1 })}>
              Next page »
            </a>
          )
          : (
            <a class="button small" aria-disabled="true" role="link">
              Next page »
            </a>
          )}
      </span>
    </nav>
  );
}
