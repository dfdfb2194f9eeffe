import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { type Column, DataTable } from "../components/DataTable.tsx";
import { formatCents, formatCount, formatDateTime } from "../server/shared/format.ts";
import { Panel } from "../components/Panel.tsx";
import { StockLevel } from "../components/StockLevel.tsx";
import { EmptyState, ErrorState } from "../components/States.tsx";
import { UrgencyBadge } from "../components/Badge.tsx";
import DashboardKpis from "../islands/DashboardKpis.tsx";
import LiveFeed from "../islands/LiveFeed.tsx";
import SalesPerMinute from "../islands/SalesPerMinute.tsx";
import { startOfStoreDay } from "../server/shared/store_time.ts";
import { transactionsHref } from "../components/drill_through.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";
import { userMessageOf } from "../server/http/pages/user_message.ts";

export const config = { title: "Dashboard", minRole: "viewer" } as const;

/** A side panel's rows, or the sentence saying why they could not be read (the page still renders). */
type Section<T> = { ok: true; value: T } | { ok: false; message: string };

async function section<T>(read: Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await read };
  } catch (error) {
    return { ok: false, message: userMessageOf(error) };
  }
}

export async function load(ctx: PageContext) {
  // The headline figures must load; the panels below degrade one by one to an error state
  const overview = await ctx.api.dashboard.overview();
  const todayStart = startOfStoreDay(overview.asOf, overview.timeZone);
  const [realtime, recent, topProducts, lowStock] = await Promise.all([
    section(ctx.api.dashboard.realtimeMetrics()),
    section(ctx.api.transactions.list({ limit: 12 })),
    section(ctx.api.analytics.topProducts({
      from: todayStart.toISOString(),
      to: overview.asOf.toISOString(),
      by: "revenue",
      limit: 8,
    })),
    section(ctx.api.inventory.lowStock({ limit: 6 })),
  ]);
  return { overview, realtime, recent, topProducts, lowStock, todayStart };
}

type Data = Awaited<ReturnType<typeof load>>;
type TopProduct = Extract<Data["topProducts"], { ok: true }>["value"]["items"][number];
type LowStockItem = Extract<Data["lowStock"], { ok: true }>["value"]["items"][number];

/** Best sellers today; a product's units open its sales of today. */
const topColumns = (todayStart: Date): Column<TopProduct>[] => [
  {
    key: "name",
    label: "Product",
    render: (row) => (
      <>
        <a class="row-link" href={`/products?search=${encodeURIComponent(row.sku)}`}>{row.name}</a>
        <span class="muted">{row.category}</span>
      </>
    ),
  },
  {
    key: "units",
    label: "Units",
    numeric: true,
    render: (row) => (
      <a href={transactionsHref({ product: row.productId, since: todayStart })} title="Its sales today">
        {formatCount(row.units)}
      </a>
    ),
  },
  { key: "revenue", label: "Revenue", numeric: true, render: (row) => formatCents(row.revenueCents) },
];

const lowStockColumns: Column<LowStockItem>[] = [
  {
    key: "name",
    label: "Product",
    render: (row) => (
      <>
        <a class="row-link" href={`/inventory?product=${row.productId}#forecast`}>{row.name}</a>
        <span class="muted">{row.sku}</span>
      </>
    ),
  },
  {
    key: "stock",
    label: "Stock",
    render: (row) => <StockLevel quantity={row.stockQuantity} reorderPoint={row.reorderPoint} />,
  },
  {
    key: "cover",
    label: "Cover",
    numeric: true,
    render: (row) => row.daysOfCover === null ? "—" : `${row.daysOfCover.toFixed(1)} d`,
  },
  { key: "urgency", label: "Urgency", render: (row) => <UrgencyBadge urgency={row.urgency} /> },
];

/** Today at a glance: headline figures, the last hour live, the newest sales, best sellers, what runs short. */
export default function DashboardPage({ data }: PageProps<Data>) {
  const { overview, realtime, recent, topProducts, lowStock } = data;
  return (
    <div class="dashboard">
      <div class="page-header">
        <p class="muted">
          Today in {overview.timeZone}, compared with yesterday at the same time · loaded{" "}
          {formatDateTime(overview.asOf, overview.timeZone)}
        </p>
        <LiveUpdates
          events={[
            "transaction.created",
            "transaction.updated",
            "stock.changed",
            "product.changed",
            "job.run",
          ]}
          regions={["#top-products", "#running-low"]}
        />
      </div>
      <DashboardKpis
        figures={{
          today: overview.today,
          previous: overview.previous,
          suspiciousToday: overview.suspicious.today,
          suspiciousPrevious: overview.suspicious.previous,
          openAlerts: overview.openAlerts.total,
          openAlertsPrevious: overview.openAlerts.previousTotal,
          lowStock: overview.lowStock.count,
        }}
      />
      <div class="grid grid-main-side">
        <Panel title="Sales per minute" meta="last 60 minutes · live">
          {realtime.ok
            ? (
              <SalesPerMinute
                timeZone={overview.timeZone}
                minutes={realtime.value.minutes}
              />
            )
            : <ErrorState message={realtime.message} />}
        </Panel>
        <Panel
          title="Recent transactions"
          meta="live"
          flush
          class="dashboard-feed"
          actions={<a class="button small secondary" href="/transactions">All transactions</a>}
        >
          {recent.ok
            ? (
              <LiveFeed
                figures={{
                  revenueCents: overview.today.revenueCents,
                  orders: overview.today.orders,
                  suspiciousToday: overview.suspicious.today,
                  openAlerts: overview.openAlerts.total,
                }}
                recent={recent.value.items}
                limit={12}
              />
            )
            : <ErrorState message={recent.message} />}
        </Panel>
      </div>
      <div class="grid grid-2">
        <Panel title="Top products today" meta="by revenue" flush id="top-products">
          {topProducts.ok
            ? (
              <DataTable
                caption="Top products today by revenue"
                columns={topColumns(data.todayStart)}
                rows={topProducts.value.items}
                rowKey={(row) => row.productId}
                empty={
                  <EmptyState title="No sales yet today">Best sellers appear with the first sale.</EmptyState>
                }
              />
            )
            : <ErrorState message={topProducts.message} />}
        </Panel>
        <Panel
          title="Running low"
          meta={lowStock.ok
            ? `${formatCount(overview.lowStock.count)} products will run short${
              overview.lowStock.count > lowStock.value.items.length
                ? ` · the ${lowStock.value.items.length} most urgent shown`
                : ""
            }`
            : undefined}
          flush
          id="running-low"
          actions={<a class="button small secondary" href="/inventory">Inventory</a>}
        >
          {lowStock.ok
            ? (
              <DataTable
                caption="Products running short, most urgent first"
                columns={lowStockColumns}
                rows={lowStock.value.items}
                rowKey={(row) => row.productId}
                empty={
                  <EmptyState title="Nothing is running short">
                    Every product has enough stock for its lead time and more.
                  </EmptyState>
                }
              />
            )
            : <ErrorState message={lowStock.message} />}
        </Panel>
      </div>
    </div>
  );
}
