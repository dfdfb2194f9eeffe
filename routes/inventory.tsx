import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { SelectField } from "../components/Field.tsx";
import { UrgencyBadge } from "../components/Badge.tsx";
import { type Column, DataTable } from "../components/DataTable.tsx";
import { FilterForm } from "../components/FilterForm.tsx";
import { countOf, formatCents, formatCount, formatDate, formatDateTime } from "../server/shared/format.ts";
import { PageHeader, Panel } from "../components/Panel.tsx";
import { EmptyState } from "../components/States.tsx";
import { StockLevel } from "../components/StockLevel.tsx";
import { hrefWith } from "../components/url.ts";
import Chart, { type ChartSpec } from "../islands/Chart.tsx";
import PurchaseOrders from "../islands/PurchaseOrders.tsx";
import ReorderSuggestions from "../islands/ReorderSuggestions.tsx";
import CalendarEvents from "../islands/CalendarEvents.tsx";
import { storeDay } from "../server/shared/store_time.ts";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { exportHref } from "../server/http/csv_export.ts";
import { lowStockFilters, purchaseOrderFilters } from "../server/http/page_filters.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Inventory", minRole: "viewer" } as const;

const suggestionLists = ["open", "snoozed", "approved", "rejected"] as const;
type SuggestionList = (typeof suggestionLists)[number];

export async function load(ctx: PageContext) {
  const params = ctx.url.searchParams;
  const list = (suggestionLists as readonly string[]).includes(params.get("suggestions") ?? "")
    ? params.get("suggestions") as SuggestionList
    : "open";
  const poParams = new URLSearchParams();
  if (params.get("po")) poParams.set("status", params.get("po")!);
  const [lowStock, suggestions, orders, weights, categories, calendar] = await Promise.all([
    ctx.api.inventory.lowStock({ ...lowStockFilters(params), limit: 100 }),
    ctx.api.inventory.reorderSuggestions({ status: list, limit: 50 }),
    ctx.api.purchaseOrders.list({ ...purchaseOrderFilters(poParams), limit: 20 }),
    ctx.api.inventory.supplierWeights(),
    ctx.api.products.categories(),
    ctx.api.calendarEvents.list({}),
  ]);
  const requested = Number(params.get("product"));
  const productId = Number.isInteger(requested) && requested > 0
    ? requested
    : lowStock.items[0]?.productId ?? suggestions.items[0]?.productId ?? null;
  const prediction = productId === null
    ? null
    : await ctx.api.inventory.predictions({ product_id: productId, historyDays: 56 });
  return {
    lowStock,
    suggestions,
    list,
    orders,
    weights,
    categories,
    prediction,
    calendar,
    today: storeDay(new Date(), ctx.services.config.STORE_TZ),
    now: new Date(),
  };
}

type Data = Awaited<ReturnType<typeof load>>;
type LowStockItem = Data["lowStock"]["items"][number];

const lowStockColumns = (url: URL): Column<LowStockItem>[] => [
  {
    key: "product",
    label: "Product",
    render: (item) => (
      <>
        <a class="row-link" href={`${hrefWith(url, { product: item.productId })}#forecast`}>{item.name}</a>
        <span class="muted">
          <span class="mono">{item.sku}</span> · {item.category}
        </span>
        {/* on a phone the last two columns are folded in here, so the table needs no sideways scroll */}
        <span class="muted on-phone" data-testid="low-stock-phone-line">
          Reorder at {item.reorderPoint} · {item.supplier
            ? `${item.supplier.name}, ${countOf(item.leadTimeDays, "day")} lead time`
            : "no supplier"}
        </span>
      </>
    ),
  },
  {
    key: "urgency",
    label: "Urgency",
    render: (item) => (
      <>
        <UrgencyBadge urgency={item.urgency} />
        {item.openSuggestionId !== null && (
          // the link says what waits below, not the suggestion's row number
          <a class="muted small-link" href={`#suggestion-${item.openSuggestionId}`}>
            reorder suggested
          </a>
        )}
      </>
    ),
  },
  {
    key: "stock",
    label: "Stock",
    class: "col-stock",
    render: (item) => (
      <>
        <StockLevel quantity={item.stockQuantity} reorderPoint={item.reorderPoint} />
        {item.onOrder > 0 && <span class="muted">+{item.onOrder} on order</span>}
      </>
    ),
  },
  {
    key: "cover",
    label: "Days of cover",
    numeric: true,
    render: (item) => (
      <span
        class={item.daysOfCover !== null && item.daysOfCover <= item.leadTimeDays ? "text-bad" : undefined}
      >
        {item.daysOfCover === null ? "—" : item.daysOfCover.toFixed(1)}
      </span>
    ),
  },
  {
    key: "demand",
    label: "Sells / day",
    numeric: true,
    render: (item) => item.averageDailyDemand.toFixed(2),
  },
  {
    key: "point",
    label: "Reorder at",
    numeric: true,
    class: "off-phone",
    render: (item) => (
      <>
        {item.reorderPoint}
        <span class="muted">{item.reorderPointIsManual ? "manual" : `safety ${item.safetyStock}`}</span>
      </>
    ),
  },
  {
    key: "supplier",
    label: "Best supplier",
    class: "off-phone",
    render: (item) =>
      item.supplier
        ? (
          <>
            {item.supplier.name}
            <span class="muted">{countOf(item.leadTimeDays, "day")} lead time</span>
          </>
        )
        : <span class="muted">no supplier</span>,
  },
];

/** history, forecast and its 80%/95% bands as one line chart: the bands fill between their edges */
function forecastChart(prediction: NonNullable<Data["prediction"]>): ChartSpec {
  const { history, forecast } = prediction;
  const days = [...history.days, ...(forecast?.days ?? [])];
  const pad = (values: number[], before: number) => [
    ...Array<null>(before).fill(null),
    ...values.map((value) => Math.round(value * 100) / 100),
  ];
  const future = (values: number[]) => pad(values, history.days.length);
  const edge = { pointRadius: 0, borderWidth: 0, tension: 0.25 };
  const datasets: ChartSpec["data"]["datasets"] = [
    {
      label: "Units sold",
      data: history.units,
      borderColor: "var(--chart-2)",
      backgroundColor: "var(--chart-2)",
      pointRadius: 0,
      borderWidth: 1.5,
      tension: 0.2,
    },
  ];
  if (forecast) {
    datasets.push(
      { label: "95% high", data: future(forecast.upper95), ...edge, fill: false },
      {
        label: "95% low",
        data: future(forecast.lower95),
        ...edge,
        fill: "-1",
        backgroundColor: "var(--chart-1) / 0.12",
      },
      { label: "80% high", data: future(forecast.upper80), ...edge, fill: false },
      {
        label: "80% low",
        data: future(forecast.lower80),
        ...edge,
        fill: "-1",
        backgroundColor: "var(--chart-1) / 0.22",
      },
      {
        label: "Forecast",
        data: future(forecast.point),
        borderColor: "var(--chart-1)",
        backgroundColor: "var(--chart-1)",
        borderDash: [5, 4],
        borderWidth: 2,
        pointRadius: 0,
        tension: 0.25,
      },
    );
  }
  return {
    type: "line",
    data: { labels: days.map((day) => day.slice(5)), datasets },
    options: {
      indexLabel: "Day",
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { maxTicksLimit: 8 } } },
    },
  };
}

const modelNames: Record<string, string> = {
  seasonal_naive: "Seasonal naive (weekly)",
  hybrid: "Moving average + trend + weekday",
  holt_winters: "Holt-Winters (damped, weekly)",
  tsb: "TSB (intermittent)",
  croston_sba: "Croston SBA (intermittent)",
  theta: "Theta",
  damped_ets: "Damped-trend exponential smoothing",
  weekday_median: "Weekday median (8 weeks)",
  moving_mean: "28-day mean",
  median: "Median of 8 models",
  combination: "Weighted combination (by backtest error)",
  mean: "Mean",
  zero: "No demand",
};

/** "25 Dec 2026 Christmas Day (public holiday)": days as everywhere else on the page (calendar days, so UTC). */
function eventText(event: { day: string; name: string; kind: string }): string {
  const kind = event.kind === "holiday" ? "public holiday" : event.kind;
  return `${formatDate(`${event.day}T00:00:00Z`, "UTC")} ${event.name} (${kind})`;
}

function formatMase(value: number | null): string {
  return value === null ? "—" : value.toFixed(2);
}

function formatShare(value: number | undefined): string {
  return value === undefined ? "—" : `${Math.round(100 * value)}%`;
}

/** The models a combination used, with their weights, from the stored `weight.<model>` params. */
function ForecastWeights({ params }: { params: Record<string, number> }) {
  const weights = Object.entries(params)
    .filter(([key]) => key.startsWith("weight."))
    .map(([key, weight]) => [key.slice("weight.".length), weight] as const)
    .sort((a, b) => b[1] - a[1]);
  if (weights.length < 2) return null;
  return (
    <span class="muted aside">
      ·{" "}
      {weights.map(([name, weight]) => `${modelNames[name] ?? name} ${Math.round(100 * weight)}%`).join(", ")}
    </span>
  );
}

function ForecastPanel(
  { data, url, canExport }: { data: Data; url: URL; canExport: boolean },
) {
  const prediction = data.prediction;
  const options = data.lowStock.items.map((item) => ({ value: String(item.productId), label: item.name }));
  if (prediction && !options.some((option) => option.value === String(prediction.productId))) {
    options.unshift({ value: String(prediction.productId), label: prediction.productName });
  }
  const keep = Object.fromEntries([...url.searchParams].filter(([key]) => key !== "product"));
  return (
    <Panel
      id="forecast"
      title={prediction ? `Forecast · ${prediction.productName}` : "Forecast"}
      meta={prediction?.forecast ? `next ${prediction.forecast.horizonDays} days` : undefined}
      actions={prediction && canExport && (
        <a
          class="button small secondary"
          href={exportHref("forecast", { product: String(prediction.productId) })}
        >
          Export CSV
        </a>
      )}
    >
      <form class="inline-picker" method="get" action="/inventory#forecast" aria-label="Choose a product">
        {Object.entries(keep).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <SelectField
          label="Product"
          name="product"
          idPrefix="forecast"
          options={options}
          value={prediction ? String(prediction.productId) : undefined}
        />
        <button type="submit" class="secondary small">Show</button>
      </form>
      {!prediction && <EmptyState title="No product to forecast">Nothing is running short.</EmptyState>}
      {prediction && !prediction.forecast && (
        <EmptyState title="No forecast yet">
          The predictions job has not run for {prediction.productName}; it runs every 6 hours.
        </EmptyState>
      )}
      {prediction?.forecast && (
        <>
          <ul class="chart-legend" aria-hidden="true">
            <li>
              <span class="swatch swatch-sold" />Units sold
            </li>
            <li>
              <span class="swatch swatch-forecast" />Forecast
            </li>
            <li>
              <span class="swatch swatch-band80" />80% interval
            </li>
            <li>
              <span class="swatch swatch-band95" />95% interval
            </li>
          </ul>
          <Chart
            label={`Daily units of ${prediction.productName}: the last ${prediction.history.days.length} days sold, then the forecast with 80% and 95% intervals`}
            config={forecastChart(prediction)}
            format="number"
          />
          <dl class="facts forecast-facts">
            <dt>Method</dt>
            <dd data-testid="forecast-model">
              {modelNames[prediction.forecast.model] ?? prediction.forecast.model}
              <ForecastWeights params={prediction.forecast.params} />
            </dd>
            {/* MASE said for a buyer: the error of this forecast on past weeks, next to simply copying last week */}
            <dt>Error on past weeks</dt>
            <dd data-testid="forecast-mase">
              {formatMase(prediction.forecast.backtestMase)}
              <span class="muted aside">
                · copying last week {formatMase(prediction.forecast.params.naiveMase ?? null)}{" "}
                (lower is better)
              </span>
            </dd>
            {prediction.forecast.params.fallback === 1 && (
              <>
                <dt>Note</dt>
                <dd data-testid="forecast-fallback">
                  No forecasting method beat simply copying last week on this product's recent weeks, so the
                  forecast is that simpler baseline. Treat it as a rough guide and check the stock by eye.
                </dd>
              </>
            )}
            <dt>Intervals on past weeks</dt>
            <dd data-testid="forecast-coverage">
              {formatShare(prediction.forecast.params.backtestCoverage80)}{" "}
              of past days fell inside the 80% interval,{" "}
              {formatShare(prediction.forecast.params.backtestCoverage95)} inside the 95% interval
            </dd>
            <dt>Out of stock</dt>
            <dd data-testid="forecast-stockout">
              {formatCount(prediction.forecast.params.missingDays ?? 0)}{" "}
              days excluded from training (no stock, so no demand seen)
            </dd>
            <dt>Events</dt>
            <dd data-testid="forecast-events">
              {prediction.forecast.events.length === 0
                ? "None in the forecast window"
                : prediction.forecast.events.map((event) => eventText(event)).join(", ")}
            </dd>
            <dt>Next 7 days</dt>
            <dd>
              {countOf(Math.round(prediction.forecast.point.slice(0, 7).reduce((a, b) => a + b, 0)), "unit")}
              <span class="muted aside">· {prediction.stockQuantity} in stock</span>
            </dd>
            <dt>Computed</dt>
            <dd>{formatDateTime(prediction.forecast.generatedAt)} UTC</dd>
          </dl>
        </>
      )}
    </Panel>
  );
}

/** Inventory: what runs short, what to order from whom (and why), the forecasts, and open orders. */
export default function InventoryPage({ data, url, caller }: PageProps<Data>) {
  const canDecide = caller !== null && roleAtLeast(caller.role, "manager");
  const canExport = caller !== null && roleAtLeast(caller.role, "analyst");
  const { lowStock, suggestions, orders, list } = data;
  const filters = lowStockFilters(url.searchParams);
  const openCost = suggestions.items.reduce((sum, s) => sum + s.estimatedCostCents, 0);
  const totalWeight = data.weights.price + data.weights.reliability + data.weights.delivery || 1;
  const weights = {
    price: data.weights.price / totalWeight,
    reliability: data.weights.reliability / totalWeight,
    delivery: data.weights.delivery / totalWeight,
  };
  const snoozeMin = new Date(data.now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const snoozeMax = new Date(data.now.getTime() + 180 * 86_400_000).toISOString().slice(0, 10);
  const openOrders = orders.items.filter((o) => o.status === "ordered");
  return (
    <>
      <LiveUpdates
        events={[
          "stock.changed",
          "product.changed",
          "suggestion.changed",
          "transaction.updated",
          "job.run",
          "calendar.changed",
        ]}
        regions={["#low-stock", "#suggestions", "#purchase-orders", "#forecast", "#calendar-events"]}
      />
      <PageHeader
        actions={canExport && (
          <a class="button small secondary" href={exportHref("low-stock", url.searchParams)}>
            Export low stock CSV
          </a>
        )}
      >
        Stock that will run short at the forecast rate, what to order from whom, and why.
      </PageHeader>
      <dl class="kpis inventory-kpis">
        <div class="kpi">
          <dt class="kpi-label">Critical</dt>
          <dd class="kpi-value">
            <a href={hrefWith(url, { urgency: "critical" })}>{lowStock.counts.critical}</a>
          </dd>
          <dd class="kpi-change">cover within lead time</dd>
        </div>
        <div class="kpi">
          <dt class="kpi-label">High</dt>
          <dd class="kpi-value">
            <a href={hrefWith(url, { urgency: "high" })}>{lowStock.counts.high}</a>
          </dd>
          <dd class="kpi-change">within lead time + 7 days</dd>
        </div>
        <div class="kpi">
          <dt class="kpi-label">Medium</dt>
          <dd class="kpi-value">
            <a href={hrefWith(url, { urgency: "medium" })}>{lowStock.counts.medium}</a>
          </dd>
          <dd class="kpi-change">within lead time + 14 days</dd>
        </div>
        <div class="kpi">
          <dt class="kpi-label">{list === "open" ? "Open suggestions" : `${list} suggestions`}</dt>
          <dd class="kpi-value">
            <a href="#suggestions">{suggestions.items.length}</a>
          </dd>
          <dd class="kpi-change">{formatCents(openCost)} to order</dd>
        </div>
        <div class="kpi">
          <dt class="kpi-label">Purchase orders due</dt>
          <dd class="kpi-value">
            <a href="#purchase-orders">{openOrders.length}</a>
          </dd>
          <dd class="kpi-change">
            {formatCents(openOrders.reduce((sum, o) => sum + o.totalCents, 0))} on order
          </dd>
        </div>
      </dl>

      <Panel
        id="low-stock"
        title="Low stock"
        meta={`${lowStock.items.length} products, most urgent first`}
        flush
      >
        <FilterForm
          action="/inventory"
          label="Filter low stock"
          active={Boolean(filters.urgency || filters.category)}
          keep={url.searchParams.get("product") ? { product: url.searchParams.get("product")! } : undefined}
        >
          <SelectField
            label="Urgency"
            name="urgency"
            idPrefix="low"
            emptyLabel="Any urgency"
            value={filters.urgency}
            options={["critical", "high", "medium"].map((value) => ({
              value,
              label: value[0].toUpperCase() + value.slice(1),
            }))}
          />
          <SelectField
            label="Category"
            name="category"
            idPrefix="low"
            emptyLabel="All categories"
            value={filters.category}
            options={data.categories.map((c) => ({
              value: c.category,
              label: `${c.category} (${c.productCount})`,
            }))}
          />
        </FilterForm>
        <DataTable
          caption="Products running short, most urgent first"
          columns={lowStockColumns(url)}
          rows={lowStock.items}
          rowKey={(item) => item.productId}
          rowClass={(item) => item.productId === data.prediction?.productId ? "selected" : undefined}
          rowAttributes={(item) => ({ "data-product-id": item.productId })}
          testId="low-stock"
          empty={
            <EmptyState title="Nothing runs short">
              No product is projected to cross its reorder point.
            </EmptyState>
          }
        />
      </Panel>

      <Panel
        id="suggestions"
        title="Reorder suggestions"
        meta={`suppliers scored on price ${Math.round(weights.price * 100)}%, reliability ${
          Math.round(weights.reliability * 100)
        }%, delivery ${Math.round(weights.delivery * 100)}%`}
        actions={canExport && (
          <a class="button small secondary" href={exportHref("reorder-suggestions", { status: list })}>
            Export CSV
          </a>
        )}
      >
        <nav class="tabs" aria-label="Suggestion lists">
          {suggestionLists.map((name) => (
            <a
              key={name}
              href={`${hrefWith(url, { suggestions: name === "open" ? undefined : name })}#suggestions`}
              aria-current={name === list ? "page" : undefined}
            >
              {name[0].toUpperCase() + name.slice(1)}
            </a>
          ))}
        </nav>
        <ReorderSuggestions
          suggestions={suggestions.items}
          canDecide={canDecide}
          weights={weights}
          snoozeMin={snoozeMin}
          snoozeMax={snoozeMax}
          initialCount={12}
        />
      </Panel>

      <div class="grid grid-2">
        <ForecastPanel data={data} url={url} canExport={canExport} />
        <Panel
          id="purchase-orders"
          title="Purchase orders"
          meta="latest 20"
          flush
          actions={canExport && (
            <a class="button small secondary" href={exportHref("purchase-orders")}>Export CSV</a>
          )}
        >
          <PurchaseOrders
            orders={orders.items}
            canReceive={canDecide}
            now={data.now}
          />
        </Panel>
      </div>

      <Panel
        id="calendar-events"
        title="Promotions and closures"
        meta="next 90 days, public holidays included; the forecasts adjust for them"
      >
        <CalendarEvents
          events={data.calendar.items}
          canEdit={canDecide}
          today={data.today}
        />
      </Panel>
    </>
  );
}
