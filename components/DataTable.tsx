import type { ComponentChildren } from "preact";
import { sortHref } from "./url.ts";

/** One column: its header, how to render a cell, and (optionally) the sort key its header links to. */
export interface Column<Row> {
  /** unique within the table */
  key: string;
  label: string;
  /** makes the header a sort link with this `sort=` value */
  sortKey?: string;
  /** right-aligned tabular figures */
  numeric?: boolean;
  /** extra class on the header and cells */
  class?: string;
  render: (row: Row) => ComponentChildren;
}

/** How the table is sorted now, so headers can link to the next sort (state lives in the URL). */
export interface TableSort {
  /** the page's current URL: sort links keep its filters */
  url: URL;
  current: string;
  order: "asc" | "desc";
  /** the order a newly chosen column starts with (default "asc") */
  firstOrder?: "asc" | "desc";
}

export interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  /** a caption for screen readers (visually hidden unless `showCaption`) */
  caption: string;
  showCaption?: boolean;
  sort?: TableSort;
  /** shown in place of the body when there are no rows */
  empty?: ComponentChildren;
  rowClass?: (row: Row) => string | undefined;
  /** extra attributes for each row, e.g. `data-id` for tests */
  rowAttributes?: (row: Row) => Record<string, string | number>;
  testId?: string;
}

/**
 * A dense, horizontally scrollable table. Sortable headers are plain links (`?sort=&order=`, the
 * cursor dropped), so sorting works without JavaScript and the back button undoes it; `aria-sort`
 * tells screen readers the current sort.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, rows, sort } = props;
  return (
    <div class="table-scroll">
      <table class="data-table" data-testid={props.testId}>
        <caption class={props.showCaption ? undefined : "visually-hidden"}>{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort && column.sortKey === sort.current;
              return (
                <th
                  key={column.key}
                  scope="col"
                  class={cellClass(column)}
                  aria-sort={sorted ? (sort.order === "asc" ? "ascending" : "descending") : undefined}
                >
                  {sort && column.sortKey
                    ? (
                      <a
                        class="sort-link"
                        href={sortHref(sort.url, column.sortKey, sort)}
                        aria-current={sorted ? "true" : undefined}
                      >
                        {column.label}
                        <span class="sort-arrow" aria-hidden="true">
                          {sorted ? (sort.order === "asc" ? "▲" : "▼") : "↕"}
                        </span>
                      </a>
                    )
                    : column.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && props.empty !== undefined && (
            <tr>
              <td colSpan={columns.length}>{props.empty}</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={props.rowKey(row)} class={props.rowClass?.(row)} {...(props.rowAttributes?.(row) ?? {})}>
              {columns.map((column) => (
                <td key={column.key} class={cellClass(column)}>{column.render(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cellClass(column: Column<never>): string | undefined {
  const classes = [column.numeric ? "num" : "", column.class ?? ""].filter(Boolean).join(" ");
  return classes || undefined;
}
