import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { InputField, SelectField } from "../components/Field.tsx";
import {
  currentStoreFormat,
  formatCents,
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
} from "../server/shared/format.ts";
import { rangeStoreDays, transactionsHref } from "../components/drill_through.ts";
import { storeDay } from "../server/shared/store_time.ts";
import { KpiCard } from "../components/KpiCard.tsx";
import { PageHeader, Panel } from "../components/Panel.tsx";
import { EmptyState } from "../components/States.tsx";
import { hrefWith } from "../components/url.ts";
import Chart, { type ChartSpec } from "../islands/Chart.tsx";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { exportHref } from "../server/http/csv_export.ts";
import { analyticsRange, rangePresets, topProductsBy } from "../server/http/page_filters.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Analytics", minRole: "viewer" } as const;

export async function load(ctx: PageContext) {
  const params = ctx.url.searchParams;
  const timeZone = ctx.services.config.STORE_TZ;
  const range = analyticsRange(params, timeZone, new Date());
  const by = topProductsBy(params);
  const forecastDays = Math.min(30, Math.max(1, Math.round(range.days ?? 30)));
  // one category narrows every card (the category table keeps the others for choosing)
  const category = params.get("category")?.trim().slice(0, 64) || undefined;
  const [sales, top, segments, categories, suppliers, forecast] = await Promise.all([
    ctx.api.analytics.hourlySales({ ...range.input, granularity: range.granularity, category }),
    ctx.api.analytics.topProducts({ ...range.input, by, limit: 10, category }),
    ctx.api.analytics.customerSegments(category ? { category } : undefined),
    ctx.api.analytics.categoryPerformance(range.input),
    ctx.api.analytics.supplierPerformance(category ? { category } : undefined),
    ctx.api.analytics.forecastTotals({ days: forecastDays }),
  ]);
  // drill-through links open Transactions over the same store days (and category)
  const days = { ...rangeStoreDays(range, timeZone, new Date()), category };
  return { range, by, sales, top, segments, categories, suppliers, forecast, timeZone, days, category };
}

type Data = Awaited<ReturnType<typeof load>>;

const presetLabels: Record<number, string> = { 1: "24 hours", 7: "7 days", 30: "30 days", 90: "90 days" };

function bucketLabel(start: Date, granularity: "hour" | "day", timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = granularity === "hour"
    ? { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }
    : { day: "numeric", month: "short", timeZone };
  return new Intl.DateTimeFormat(currentStoreFormat().settings.locale, options).format(start);
}

/** A category's forecast units (bottom-up from its products; 0 when none of them has a forecast). */
function forecastUnits(data: Data, category: string): number {
  return data.forecast.categories.find((c) => c.category === category)?.units ?? 0;
}

function salesChart(data: Data): ChartSpec {
  const { sales, timeZone } = data;
  return {
    type: "line",
    // a bucket opens its transactions: a day bucket that store day, an hour bucket that hour
    links: sales.buckets.map((b) => {
      if (sales.granularity === "hour") {
        return transactionsHref({
          since: b.start,
          until: new Date(b.start.getTime() + 3_600_000),
          category: data.category,
        });
      }
      const day = storeDay(b.start, timeZone);
      return transactionsHref({ from: day, to: day, category: data.category });
    }),
    data: {
      labels: sales.buckets.map((b) => bucketLabel(b.start, sales.granularity, timeZone)),
      datasets: [
        {
          label: "Revenue",
          data: sales.buckets.map((b) => b.revenueCents),
          borderColor: "var(--chart-1)",
          backgroundColor: "var(--chart-1) / 0.12",
          fill: "origin",
          borderWidth: 2,
          pointRadius: 0,
          tension: 0.25,
        },
        {
          label: "Previous period",
          data: sales.buckets.map((b) => b.previousRevenueCents),
          borderColor: "var(--muted)",
          backgroundColor: "var(--muted)",
          borderDash: [4, 4],
          borderWidth: 1.5,
          pointRadius: 0,
          tension: 0.25,
        },
      ],
    },
    options: {
      indexLabel: sales.granularity === "hour" ? "Hour" : "Day",
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { maxTicksLimit: 10 } } },
    },
  };
}

function segmentChart(data: Data): ChartSpec {
  // nine RFM segments, six palette colours: the last three repeat the first ones lighter
  const colors = [
    ...[1, 2, 3, 4, 5, 6].map((n) => `var(--chart-${n})`),
    ...[1, 2, 3].map((n) => `var(--chart-${n}) / 0.45`),
  ];
  const segments = data.segments.segments;
  return {
    type: "doughnut",
    // RFM segments are over each customer's whole history: a slice opens all its customers' sales
    links: segments.map((s) => transactionsHref({ segment: s.segment })),
    data: {
      labels: segments.map((s) => s.segment),
      datasets: [{
        label: "Revenue",
        data: segments.map((s) => s.revenueCents),
        backgroundColor: segments.map((_, i) => colors[i % colors.length]),
        borderColor: "var(--surface)",
        borderWidth: 2,
      }],
    },
    options: { indexLabel: "Segment", cutout: "62%", plugins: { legend: { position: "right" } } },
  };
}

function categoryChart(data: Data): ChartSpec {
  const items = data.categories.items;
  return {
    type: "bar",
    links: items.map((c) => transactionsHref({ ...data.days, category: c.category })),
    data: {
      labels: items.map((c) => c.category),
      datasets: [
        {
          label: "Revenue",
          data: items.map((c) => c.revenueCents),
          backgroundColor: "var(--chart-1)",
          borderRadius: 3,
        },
        {
          label: "Margin",
          data: items.map((c) => c.marginCents),
          backgroundColor: "var(--chart-2)",
          borderRadius: 3,
        },
      ],
    },
    options: {
      indexLabel: "Category",
      plugins: { legend: { display: true, position: "top", align: "end" } },
      scales: { x: { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 40 } } },
    },
  };
}

function RangePicker({ data, url }: { data: Data; url: URL }) {
  const { range } = data;
  return (
    <div class="range-picker">
      <nav class="segmented" aria-label="Date range presets">
        {rangePresets.map((days) => (
          <a
            key={days}
            href={hrefWith(url, { days, from: undefined, to: undefined, granularity: undefined })}
            aria-current={range.days === days ? "page" : undefined}
          >
            {presetLabels[days]}
          </a>
        ))}
      </nav>
      <form class="range-form" method="get" action="/analytics" aria-label="Custom date range">
        {url.searchParams.get("by") && <input type="hidden" name="by" value={url.searchParams.get("by")!} />}
        {data.category && <input type="hidden" name="category" value={data.category} />}
        <InputField
          label="From"
          name="from"
          type="date"
          idPrefix="range"
          value={range.fromDay ?? ""}
          required
        />
        <InputField label="To" name="to" type="date" idPrefix="range" value={range.toDay ?? ""} required />
        <button type="submit" class="small">Apply</button>
      </form>
      <form
        class="range-form"
        method="get"
        action="/analytics"
        aria-label="Category"
        data-testid="category-filter"
      >
        {[...url.searchParams].filter(([name]) => ["days", "from", "to", "by"].includes(name)).map((
          [name, value],
        ) => <input key={name} type="hidden" name={name} value={value} />)}
        {/* a field like From and To beside it (a bare label drew "Category" larger than them) */}
        <SelectField
          label="Category"
          name="category"
          idPrefix="range"
          emptyLabel="All categories"
          value={data.category ?? ""}
          options={data.categories.items.map((c) => ({ value: c.category, label: c.category }))}
        />
        <button type="submit" class="small">Apply</button>
      </form>
    </div>
  );
}

function rangeText(data: Data): string {
  const { sales, timeZone } = data;
  const from = formatDate(sales.from, timeZone);
  const to = formatDate(new Date(sales.to.getTime() - 1), timeZone);
  return from === to ? from : `${from} – ${to}`;
}

/** Analytics: sales over a chosen range against the previous one, best sellers, segments, categories, suppliers. */
export default function AnalyticsPage({ data, url, caller }: PageProps<Data>) {
  const canExport = caller !== null && roleAtLeast(caller.role, "analyst");
  const { sales, top, segments, categories, suppliers } = data;
  const exportLink = (name: string, params: URLSearchParams | Record<string, string> = url.searchParams) =>
    canExport && <a class="button small secondary" href={exportHref(name, params)}>Export CSV</a>;
  const averageOrder = (t: { orders: number; revenueCents: number }) =>
    t.orders === 0 ? 0 : Math.round(t.revenueCents / t.orders);
  const maxTop = Math.max(1, ...top.items.map((p) => data.by === "units" ? p.units : p.revenueCents));
  return (
    <>
      {
        /* sales reach the figures through the views' refresh (every 5 minutes), forecasts and customer groups
          through their jobs; a product renamed or moved to another category shows at once */
      }
      <LiveUpdates
        events={[
          "transaction.created",
          "transaction.updated",
          "views.refreshed",
          "job.run",
          "product.changed",
        ]}
        regions={["#sales", "#top-products", "#segments", "#categories", "#suppliers"]}
      />
      <PageHeader actions={<RangePicker data={data} url={url} />}>
        {data.category && (
          <>
            <strong data-testid="category-chosen">{data.category}</strong> only ·{" "}
            <a href={hrefWith(url, { category: undefined })}>all categories</a> ·{" "}
          </>
        )}
        {rangeText(data)}{" "}
        <span class="muted">
          ({data.timeZone}) against the {sales.granularity === "hour" ? "same hours" : "same days"}{" "}
          of the previous period
        </span>
      </PageHeader>
      <dl class="kpis analytics-kpis">
        <KpiCard
          label="Revenue"
          value={formatCents(sales.totals.revenueCents)}
          current={sales.totals.revenueCents}
          previous={sales.previousTotals.revenueCents}
        />
        <KpiCard
          label="Orders"
          value={formatCount(sales.totals.orders)}
          current={sales.totals.orders}
          previous={sales.previousTotals.orders}
        />
        <KpiCard
          label="Units sold"
          value={formatCount(sales.totals.units)}
          current={sales.totals.units}
          previous={sales.previousTotals.units}
        />
        <KpiCard
          label="Average order"
          value={formatCents(averageOrder(sales.totals))}
          current={averageOrder(sales.totals)}
          previous={averageOrder(sales.previousTotals)}
        />
      </dl>

      <Panel
        title={sales.granularity === "hour" ? "Sales per hour" : "Sales per day"}
        meta={`revenue ${formatRate(sales.revenueChange)} · orders ${
          formatRate(sales.ordersChange)
        } vs previous period`}
        actions={exportLink("hourly-sales")}
        id="sales"
      >
        <ul class="chart-legend" aria-hidden="true">
          <li>
            <span class="swatch swatch-current" />This period
          </li>
          <li>
            <span class="swatch swatch-previous" />Previous period
          </li>
        </ul>
        <Chart
          label={`Revenue per ${sales.granularity}, ${rangeText(data)}, with the previous period`}
          config={salesChart(data)}
          format="cents"
          tall
        />
      </Panel>

      <div class="grid grid-2">
        <Panel
          title="Top products"
          id="top-products"
          flush
          actions={
            <>
              <nav class="segmented small" aria-label="Rank top products by">
                {(["revenue", "units"] as const).map((by) => (
                  <a
                    key={by}
                    href={`${hrefWith(url, { by: by === "revenue" ? undefined : by })}#top-products`}
                    aria-current={data.by === by ? "page" : undefined}
                  >
                    by {by}
                  </a>
                ))}
              </nav>
              {exportLink("top-products")}
            </>
          }
        >
          {top.items.length === 0
            ? <EmptyState title="No sales in this range">Pick a longer range.</EmptyState>
            : (
              <div class="table-scroll">
                <table class="data-table ranked">
                  <caption class="visually-hidden">Top 10 products by {data.by}, {rangeText(data)}</caption>
                  <thead>
                    <tr>
                      <th scope="col" class="num">#</th>
                      <th scope="col">Product</th>
                      <th scope="col" class="num">Units</th>
                      <th scope="col" class="num">Revenue</th>
                    </tr>
                  </thead>
                  <tbody>
                    {top.items.map((product, index) => {
                      const value = data.by === "units" ? product.units : product.revenueCents;
                      return (
                        <tr key={product.productId}>
                          <td class="num muted">{index + 1}</td>
                          <td>
                            <a class="row-link" href={`/inventory?product=${product.productId}#forecast`}>
                              {product.name}
                            </a>
                            <span class="muted">{product.category}</span>
                            <meter
                              class="share-bar"
                              min={0}
                              max={maxTop}
                              value={value}
                              aria-hidden="true"
                            />
                          </td>
                          <td class="num">
                            <a
                              href={transactionsHref({ product: product.productId, ...data.days })}
                              title={`${product.name}: its sales over these days`}
                            >
                              {formatCount(product.units)}
                            </a>
                          </td>
                          <td class="num">{formatCents(product.revenueCents)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
        </Panel>

        <Panel
          title="Customer segments"
          id="segments"
          meta={segments.computedAt
            ? `by how recently, how often and how much they buy · grouped ${
              formatDate(segments.computedAt, data.timeZone)
            }`
            : "by how recently, how often and how much they buy"}
          actions={exportLink("customer-segments", {})}
        >
          {segments.segments.length === 0
            ? (
              <EmptyState title="No segments yet">
                The customer patterns job computes them every 4 hours.
              </EmptyState>
            )
            : (
              <>
                <Chart
                  label="Revenue by customer segment"
                  config={segmentChart(data)}
                  format="cents"
                  noTable
                />
                <div class="table-scroll">
                  <table class="data-table compact">
                    <caption class="visually-hidden">
                      Customer segments: customers, revenue, orders, recency
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Segment</th>
                        <th scope="col" class="num">Customers</th>
                        <th scope="col" class="num">Revenue</th>
                        <th scope="col" class="num">Avg order</th>
                        <th scope="col" class="num">Last order</th>
                      </tr>
                    </thead>
                    <tbody>
                      {segments.segments.map((s) => (
                        <tr key={s.segment}>
                          <th scope="row">
                            <a href={transactionsHref({ segment: s.segment })}>{s.segment}</a>
                          </th>
                          <td class="num">
                            {formatCount(s.customers)}{" "}
                            <span class="muted inline">{formatPercent(s.customerShare)}</span>
                          </td>
                          <td class="num">{formatCents(s.revenueCents)}</td>
                          <td class="num">{formatCents(s.averageOrderCents)}</td>
                          <td class="num">{s.averageRecencyDays.toFixed(0)} d ago</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
        </Panel>
      </div>

      <Panel title="Category performance" id="categories" actions={exportLink("category-performance")}>
        {categories.items.length === 0
          ? <EmptyState title="No sales in this range">Pick a longer range.</EmptyState>
          : (
            <div class="grid grid-2 flush-grid chart-wide-table">
              <Chart
                label={`Revenue and margin per category, ${rangeText(data)}`}
                config={categoryChart(data)}
                format="cents"
                tall
                noTable
              />
              <div class="table-scroll">
                <table class="data-table compact">
                  <caption class="visually-hidden">
                    Categories: revenue, share, margin, units and orders
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Category</th>
                      <th scope="col" class="num">Revenue</th>
                      <th scope="col" class="num">Share</th>
                      <th scope="col" class="num">Margin</th>
                      <th scope="col" class="num">Units</th>
                      <th scope="col" class="num">
                        Forecast units <span class="muted inline">next {data.forecast.days} days</span>
                      </th>
                      <th scope="col" class="num">Orders</th>
                    </tr>
                  </thead>
                  <tbody>
                    {categories.items.map((c) => (
                      <tr key={c.category}>
                        <th scope="row">
                          <a href={transactionsHref({ ...data.days, category: c.category })}>{c.category}</a>
                        </th>
                        <td class="num">{formatCents(c.revenueCents)}</td>
                        <td class="num">{formatPercent(c.revenueShare)}</td>
                        <td class="num">
                          {formatCents(c.marginCents)}{" "}
                          <span class="muted inline">{formatPercent(c.marginRate)}</span>
                        </td>
                        <td class="num">{formatCount(c.units)}</td>
                        <td class="num" data-testid="category-forecast">
                          {formatCount(Math.round(forecastUnits(data, c.category)))}
                        </td>
                        <td class="num">{formatCount(c.orders)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">Shop</th>
                      <td class="num" colspan={3} />
                      <td class="num" data-testid="shop-units">
                        {formatCount(categories.items.reduce((sum, c) => sum + c.units, 0))}
                      </td>
                      <td class="num" data-testid="shop-forecast">
                        {formatCount(Math.round(data.forecast.shopUnits))}
                      </td>
                      <td class="num" />
                    </tr>
                  </tfoot>
                </table>
              </div>
            </div>
          )}
      </Panel>

      <Panel
        title="Supplier performance"
        id="suppliers"
        flush
        actions={exportLink("supplier-performance", {})}
      >
        <div class="table-scroll">
          <table class="data-table">
            <caption class="visually-hidden">
              Suppliers: products, lead time, reliability, cost, low-stock products
            </caption>
            <thead>
              <tr>
                <th scope="col">Supplier</th>
                <th scope="col" class="num">Products</th>
                <th scope="col" class="num">Avg lead time</th>
                <th scope="col">On-time rate</th>
                <th scope="col" class="num">Avg unit cost</th>
                <th scope="col" class="num">Low-stock products</th>
              </tr>
            </thead>
            <tbody>
              {suppliers.items.map((s) => (
                <tr key={s.supplierId}>
                  <th scope="row">{s.name}</th>
                  <td class="num">{formatCount(s.products)}</td>
                  <td class="num">{s.averageLeadTimeDays.toFixed(1)} d</td>
                  <td>
                    <span class="reliability">
                      <span>{formatPercent(s.reliability)}</span>
                      <meter
                        min={0}
                        max={1}
                        low={0.85}
                        high={0.95}
                        optimum={1}
                        value={s.reliability}
                        aria-hidden="true"
                      />
                    </span>
                  </td>
                  <td class="num">{formatCents(s.averageUnitCostCents)}</td>
                  <td class="num">
                    {s.lowStockProducts > 0 ? <a href="/inventory">{s.lowStockProducts}</a> : "0"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </>
  );
}
