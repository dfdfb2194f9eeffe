import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { paymentMethodLabel } from "../server/shared/payment_labels.ts";
import { Badge, FraudBadge, StatusBadge } from "../components/Badge.tsx";
import { type Column, DataTable } from "../components/DataTable.tsx";
import { CheckField, InputField, SelectField } from "../components/Field.tsx";
import { FilterForm } from "../components/FilterForm.tsx";
import { currentStoreFormat, formatCents, formatCount, formatDateTime } from "../server/shared/format.ts";
import { Pager } from "../components/Pager.tsx";
import { PageHeader } from "../components/Panel.tsx";
import { EmptyState, ErrorState } from "../components/States.tsx";
import {
  hasTransactionFilters,
  parseTransactionFilters,
} from "../server/transactions/transaction_filters.ts";
import { hrefWith } from "../components/url.ts";
import NewTransactionForm, { type SellableProduct } from "../islands/NewTransactionForm.tsx";
import TransactionDrawer, {
  type DrawerTransaction,
  toDrawerTransaction,
} from "../islands/TransactionDrawer.tsx";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { exportHref } from "../server/http/csv_export.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";
import { userMessageOf } from "../server/http/pages/user_message.ts";
import { TRANSACTION_STATUSES } from "../server/transactions/lifecycle.ts";

export const config = { title: "Transactions", minRole: "viewer" } as const;

/** The filters a drill-through link sets that the form has no field for: kept, and shown in a line. */
const drillKeys = ["product", "segment", "since", "until"] as const;

const pageSize = 25;

export async function load(ctx: PageContext) {
  const timeZone = ctx.services.config.STORE_TZ;
  // `/transactions/42` (the live feed's links) is the list with that transaction open
  const openId = Number(ctx.params.id ?? ctx.url.searchParams.get("open")) || null;
  const { params, query, errors } = parseTransactionFilters(ctx.url, timeZone);
  const canManage = roleAtLeast(ctx.caller!.role, "manager");

  const [list, categories, opened, products, drillProduct] = await Promise.all([
    ctx.api.transactions.list({ ...query, limit: pageSize })
      .then((page) => ({ ok: true as const, page }))
      .catch((error: unknown) => ({ ok: false as const, message: userMessageOf(error) })),
    ctx.api.products.categories(),
    openId
      ? ctx.api.transactions.get({ id: openId })
        .then((detail) => ({ detail: toDrawerTransaction(detail), message: "" }))
        .catch((error: unknown) => ({ detail: null, message: userMessageOf(error) }))
      : Promise.resolve({ detail: null, message: "" }),
    canManage ? sellableProducts(ctx) : Promise.resolve([]),
    // a drill-through names its product by name, not by id
    params.product
      ? ctx.api.products.get({ id: Number(params.product) }).then((p) => p.name).catch(() => null)
      : Promise.resolve(null),
  ]);
  return { params, errors, list, categories, opened, products, drillProduct, openId, timeZone, canManage };
}

async function sellableProducts(ctx: PageContext): Promise<SellableProduct[]> {
  const products: SellableProduct[] = [];
  let cursor: string | undefined;
  // the catalog is a few hundred items: two or three pages of 100
  for (let page = 0; page < 5; page++) {
    const result = await ctx.api.products.list({ status: "active", sort: "name", limit: 100, cursor });
    for (const product of result.items) {
      products.push({
        id: product.id,
        sku: product.sku,
        name: product.name,
        priceCents: product.priceCents,
        stockQuantity: product.stockQuantity,
      });
    }
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return products;
}

type Data = Awaited<ReturnType<typeof load>>;
type Row = Extract<Data["list"], { ok: true }>["page"]["items"][number];

function columns(url: URL, timeZone: string): Column<Row>[] {
  return [
    {
      key: "order",
      label: "Order",
      render: (row) => (
        <>
          <a
            class="row-link order-ref"
            href={hrefWith(url, { open: row.id })}
            data-open-transaction={row.id}
            aria-label={`Open ${row.orderRef}`}
          >
            {row.orderRef}
          </a>
          {row.simulated && (
            <>
              {" "}
              <Badge tone="info" title="Made by the traffic simulator, not a customer">simulated</Badge>
            </>
          )}
        </>
      ),
    },
    {
      key: "created",
      label: "Created",
      sortKey: "created",
      class: "nowrap",
      render: (row) => formatDateTime(row.createdAt, timeZone),
    },
    {
      key: "customer",
      label: "Customer",
      render: (row) => row.customerName ?? <span class="muted">Guest</span>,
    },
    { key: "status", label: "Status", render: (row) => <StatusBadge status={row.status} /> },
    {
      key: "fraud",
      label: "Fraud",
      render: (row) => (
        <>
          {row.fraudDecision === "allow"
            ? <span class="muted" title="Fraud score (allowed)">{Math.round(row.fraudScore)}</span>
            : <FraudBadge decision={row.fraudDecision} score={row.fraudScore} />}
          {row.fraudLabel && <span class="muted">labeled {row.fraudLabel}</span>}
        </>
      ),
    },
    {
      key: "payment",
      label: "Payment",
      render: (row) => (
        <>
          {paymentMethodLabel(row.paymentMethod)}
          <span class="muted">{row.channel}</span>
        </>
      ),
    },
    { key: "items", label: "Items", numeric: true, render: (row) => formatCount(row.itemCount) },
    {
      key: "total",
      label: "Total",
      sortKey: "amount",
      numeric: true,
      render: (row) => <strong>{formatCents(row.totalCents)}</strong>,
    },
  ];
}

/** Every sale: filters in the URL, keyset pages, a detail drawer, refunds, labels and new sales. */
export default function TransactionsPage({ data, url, caller }: PageProps<Data>) {
  const { params, list, categories, opened, timeZone } = data;
  const listUrl = new URL(url);
  listUrl.searchParams.delete("open");
  if (/^\/transactions\/\d+$/.test(listUrl.pathname)) listUrl.pathname = "/transactions";
  const closeHref = listUrl.pathname + listUrl.search;
  const active = hasTransactionFilters(params);
  return (
    <>
      <PageHeader
        actions={caller && roleAtLeast(caller.role, "analyst") && (
          <a class="button small secondary" href={exportHref("transactions", listUrl.searchParams)}>
            Export CSV
          </a>
        )}
      >
        All sales, newest first. Filters and pages live in the address, so a view can be shared.
      </PageHeader>

      {data.canManage && (
        <details class="panel collapsible" id="new-transaction">
          <summary>New transaction</summary>
          <div class="panel-body">
            <NewTransactionForm products={data.products} listPath="/transactions" />
          </div>
        </details>
      )}

      <FilterForm
        action="/transactions"
        label="Filter transactions"
        active={active}
        keep={{
          sort: params.sort,
          order: params.order,
          ...Object.fromEntries(drillKeys.filter((key) => params[key]).map((key) => [key, params[key]])),
        }}
      >
        <SelectField
          label="Status"
          name="status"
          idPrefix="filter"
          value={params.status}
          emptyLabel="Any status"
          error={data.errors.status}
          options={TRANSACTION_STATUSES.map((status) => ({ value: status, label: status }))}
        />
        <InputField
          label="From"
          name="from"
          idPrefix="filter"
          type="date"
          value={params.from}
          error={data.errors.from}
        />
        <InputField
          label="To"
          name="to"
          idPrefix="filter"
          type="date"
          value={params.to}
          error={data.errors.to}
        />
        <InputField
          label={`Min ${currentStoreFormat().currencySymbol}`}
          name="min"
          idPrefix="filter"
          type="number"
          min={0}
          step="0.01"
          inputMode="decimal"
          value={params.min}
          error={data.errors.min}
        />
        <InputField
          label={`Max ${currentStoreFormat().currencySymbol}`}
          name="max"
          idPrefix="filter"
          type="number"
          min={0}
          step="0.01"
          inputMode="decimal"
          value={params.max}
          error={data.errors.max}
        />
        <SelectField
          label="Category"
          name="category"
          idPrefix="filter"
          class="wide"
          value={params.category}
          emptyLabel="Any category"
          options={categories.map((c) => ({ value: c.category, label: `${c.category} (${c.productCount})` }))}
        />
        <CheckField label="Suspicious only" name="suspicious" idPrefix="filter" checked={params.suspicious} />
      </FilterForm>
      {drillKeys.some((key) => params[key]) && (
        <p class="filter-summary" data-testid="drill-filters">
          Only{params.product && <>{" "}sales of {data.drillProduct ?? `product #${params.product}`}</>}
          {params.segment && <>{" "}sales to customers in the “{params.segment}” segment</>}
          {(params.since || params.until) && (
            <>
              {" "}sales from {params.since ? formatDateTime(params.since, timeZone) : "the start"} to{" "}
              {params.until ? formatDateTime(params.until, timeZone) : "now"}
            </>
          )}
          {" · "}
          <a
            href={hrefWith(listUrl, {
              product: undefined,
              segment: undefined,
              since: undefined,
              until: undefined,
              cursor: undefined,
            })}
          >
            show all
          </a>
        </p>
      )}
      {Object.keys(data.errors).length > 0 && (
        <p class="filter-summary" role="status">
          Some filters were not applied: see the messages beside them
        </p>
      )}

      <LiveUpdates
        events={["transaction.created", "transaction.updated"]}
        regions={["#transactions-list"]}
        holdWhenScrolled="#transactions-list"
      />
      <div id="transactions-list">
        {list.ok
          ? (
            <>
              <DataTable
                caption="Transactions"
                testId="transactions-table"
                columns={columns(listUrl, timeZone)}
                rows={list.page.items}
                rowKey={(row) => row.id}
                rowAttributes={(row) => ({ "data-transaction-id": row.id })}
                rowClass={(row) =>
                  row.id === data.openId
                    ? "selected"
                    : row.fraudDecision === "block"
                    ? "row-blocked"
                    : row.fraudDecision === "review"
                    ? "row-suspicious"
                    : undefined}
                sort={{ url: listUrl, current: params.sort, order: params.order, firstOrder: "desc" }}
                empty={
                  <EmptyState
                    title={active ? "No transaction matches these filters" : "No transactions yet"}
                    action={active ? <a href="/transactions">Clear the filters</a> : undefined}
                  >
                    {active
                      ? "Widen the date range or amount, or clear a filter."
                      : "Sales appear here as they happen."}
                  </EmptyState>
                }
              />
              <Pager
                url={listUrl}
                nextCursor={list.page.nextCursor}
                count={list.page.items.length}
                noun="transactions"
              />
            </>
          )
          : <ErrorState title="Could not list transactions" message={list.message} />}
      </div>

      <TransactionDrawer
        initial={opened.detail as DrawerTransaction | null}
        closeHref={closeHref}
        canManage={data.canManage}
        canLabel={roleAtLeast(caller!.role, "analyst")}
        timeZone={timeZone}
      />
      {opened.message && <ErrorState title="Could not open the transaction" message={opened.message} />}
    </>
  );
}
