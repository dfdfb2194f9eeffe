import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { Badge } from "../components/Badge.tsx";
import { type Column, DataTable } from "../components/DataTable.tsx";
import { InputField, SelectField } from "../components/Field.tsx";
import { FilterForm } from "../components/FilterForm.tsx";
import { formatCents, formatPercent } from "../server/shared/format.ts";
import { Pager } from "../components/Pager.tsx";
import { PageHeader } from "../components/Panel.tsx";
import { EmptyState, ErrorState } from "../components/States.tsx";
import { StockLevel } from "../components/StockLevel.tsx";
import { hrefWith } from "../components/url.ts";
import ProductEditor, { type EditableProduct, toEditableProduct } from "../islands/ProductEditor.tsx";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { exportHref } from "../server/http/csv_export.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";
import { userMessageOf } from "../server/http/pages/user_message.ts";

export const config = { title: "Products", minRole: "viewer" } as const;

const sorts = ["name", "price", "stock", "id"] as const;
const statuses = ["active", "inactive", "all"] as const;
const pageSize = 25;

/** The catalog's URL state: what the filter form shows and the list procedure takes. */
function readParams(url: URL) {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? "";
  const sort = (sorts as readonly string[]).includes(get("sort"))
    ? get("sort") as (typeof sorts)[number]
    : "name";
  const status = (statuses as readonly string[]).includes(get("status"))
    ? get("status") as (typeof statuses)[number]
    : "active";
  return {
    search: get("search").slice(0, 100),
    category: get("category").slice(0, 100),
    status,
    sort,
    order: get("order") === "desc" ? "desc" as const : "asc" as const,
    cursor: get("cursor") || undefined,
  };
}

export async function load(ctx: PageContext) {
  const params = readParams(ctx.url);
  const editId = Number(ctx.url.searchParams.get("edit")) || null;
  const canEdit = roleAtLeast(ctx.caller!.role, "manager");
  const [list, categories, editing, lowStock] = await Promise.all([
    ctx.api.products.list({
      search: params.search || undefined,
      category: params.category || undefined,
      status: params.status,
      sort: params.sort,
      order: params.order,
      cursor: params.cursor,
      limit: pageSize,
    }).then((page) => ({ ok: true as const, page })).catch((error: unknown) => ({
      ok: false as const,
      message: userMessageOf(error),
    })),
    ctx.api.products.categories(),
    canEdit && editId
      ? ctx.api.products.get({ id: editId }).then(toEditableProduct).catch(() => null)
      : Promise.resolve(null),
    // computed reorder points of the products running short, so their bars turn amber
    ctx.api.inventory.lowStock({ limit: 500 }).catch(() => ({ items: [] })),
  ]);
  const reorderPoints = Object.fromEntries(lowStock.items.map((item) => [item.productId, item.reorderPoint]));
  // Suppliers per product: the list carries only a count, so read this page's products' offers at once
  const offers = list.ok
    ? await ctx.api.products.offers({
      productIds: list.page.items.filter((p) => p.supplierCount > 0).map((p) => p.id),
    })
    : [];
  const suppliers: Record<number, { name: string; leadTimeDays: number; unitCostCents: number }[]> = {};
  for (const offer of offers) {
    (suppliers[offer.productId] ??= []).push({
      name: offer.name,
      leadTimeDays: offer.leadTimeDays,
      unitCostCents: offer.unitCostCents,
    });
  }
  return {
    params,
    list,
    categories,
    editing,
    canEdit,
    reorderPoints,
    suppliers,
  };
}

type Data = Awaited<ReturnType<typeof load>>;
type Row = Extract<Data["list"], { ok: true }>["page"]["items"][number];

function columns(url: URL, data: Data): Column<Row>[] {
  const list: Column<Row>[] = [
    {
      key: "name",
      label: "Product",
      sortKey: "name",
      render: (row) => (
        <>
          <strong>{row.name}</strong>
          <span class="muted">
            {row.sku}
            {row.brand && ` · ${row.brand}`}
            {!row.isActive && " · inactive"}
          </span>
        </>
      ),
    },
    {
      key: "category",
      label: "Category",
      render: (row) => (
        <a href={hrefWith(url, { category: row.category, cursor: undefined, page: undefined })}>
          {row.category}
        </a>
      ),
    },
    {
      key: "price",
      label: "Price",
      sortKey: "price",
      numeric: true,
      render: (row) => formatCents(row.priceCents),
    },
    {
      key: "margin",
      label: "Margin",
      numeric: true,
      render: (row) => row.costCents === null ? "—" : formatPercent(1 - row.costCents / row.priceCents),
    },
    {
      key: "stock",
      label: "Stock",
      sortKey: "stock",
      render: (row) => (
        <StockLevel
          quantity={row.stockQuantity}
          reorderPoint={row.reorderPoint ?? data.reorderPoints[row.id] ?? null}
        />
      ),
    },
    {
      key: "reorder",
      label: "Reorder at",
      numeric: true,
      render: (row) =>
        row.reorderPoint === null
          ? <span class="muted" title="computed from the forecast">auto</span>
          : row.reorderPoint,
    },
    {
      key: "suppliers",
      label: "Suppliers",
      render: (row) => {
        const offers = data.suppliers[row.id] ?? [];
        if (offers.length === 0) return <Badge tone="warn">none</Badge>;
        return (
          <ul class="supplier-list">
            {offers.map((offer) => (
              <li key={offer.name}>
                {offer.name}
                <span class="muted">{offer.leadTimeDays} d · {formatCents(offer.unitCostCents)}</span>
              </li>
            ))}
          </ul>
        );
      },
    },
  ];
  if (data.canEdit) {
    list.push({
      key: "edit",
      label: "",
      render: (row) => (
        <a
          class="button small secondary"
          href={hrefWith(url, { edit: row.id })}
          data-edit-product={row.id}
          aria-label={`Edit ${row.name}`}
        >
          Edit
        </a>
      ),
    });
  }
  return list;
}

/** The catalog: search, category, sort, stock bars, each product's suppliers, and the edit drawer. */
export default function ProductsPage({ data, url, caller }: PageProps<Data>) {
  const { params, list, categories } = data;
  const listUrl = new URL(url);
  listUrl.searchParams.delete("edit");
  const active = Boolean(params.search || params.category || params.status !== "active");
  return (
    <>
      <PageHeader
        actions={caller && roleAtLeast(caller.role, "analyst") && (
          <a class="button small secondary" href={exportHref("products", listUrl.searchParams)}>Export CSV</a>
        )}
      >
        {categories.reduce((sum, c) => sum + c.productCount, 0)} active products in {categories.length}{" "}
        categories. Bars show stock against three times the reorder point; amber at or below it, red when out.
      </PageHeader>
      <FilterForm
        action="/products"
        label="Filter products"
        active={active}
        keep={{ sort: params.sort, order: params.order }}
      >
        <InputField
          label="Search"
          name="search"
          idPrefix="filter"
          type="search"
          class="wide"
          value={params.search}
          placeholder="Name, SKU or brand"
          maxLength={100}
        />
        <SelectField
          label="Category"
          name="category"
          idPrefix="filter"
          class="wide"
          value={params.category}
          emptyLabel="All categories"
          options={categories.map((c) => ({ value: c.category, label: `${c.category} (${c.productCount})` }))}
        />
        <SelectField
          label="Status"
          name="status"
          idPrefix="filter"
          value={params.status}
          options={statuses.map((status) => ({ value: status, label: status }))}
        />
      </FilterForm>
      <LiveUpdates events={["stock.changed", "product.changed"]} regions={["#products-list"]} />
      <div id="products-list">
        {list.ok
          ? (
            <>
              <DataTable
                caption="Products"
                testId="products-table"
                columns={columns(listUrl, data)}
                rows={list.page.items}
                rowKey={(row) => row.id}
                rowAttributes={(row) => ({ "data-product-id": row.id })}
                sort={{ url: listUrl, current: params.sort, order: params.order }}
                empty={
                  <EmptyState
                    title="No product matches"
                    action={active ? <a href="/products">Clear the filters</a> : undefined}
                  >
                    Try another search word or category.
                  </EmptyState>
                }
              />
              <Pager
                url={listUrl}
                nextCursor={list.page.nextCursor}
                count={list.page.items.length}
                noun="products"
              />
            </>
          )
          : <ErrorState title="Could not list products" message={list.message} />}
      </div>
      {data.canEdit && (
        <ProductEditor
          initial={data.editing as EditableProduct | null}
          closeHref={listUrl.pathname + listUrl.search}
          categories={categories.map((c) => c.category)}
        />
      )}
    </>
  );
}
