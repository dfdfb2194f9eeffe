/**
 * CSV downloads of every table in the UI: `GET /export/<table>.csv?<the page's filters>`.
 * Rows come from the same procedures the pages use, called in-process with the caller's rights, page
 * by page through their keyset cursors, streamed by `csv_page_stream.ts`.
 */
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Hono } from "hono";
import { jsonError, requireCaller } from "./caller.ts";
import { csvPageStream } from "./csv_page_stream.ts";
import { createServerCaller } from "../api/server_caller.ts";
import type { Services } from "../services.ts";
// for the request's logger on the Hono context (its ContextVariableMap)
import type {} from "./request_id.ts";
import { currentStoreFormat } from "../shared/format.ts";
import { centsToDecimal, csvLine, type CsvValue } from "../shared/csv.ts";
import {
  alertFilters,
  analyticsRange,
  lowStockFilters,
  productFilters,
  purchaseOrderFilters,
  suggestionFilters,
  topProductsBy,
} from "./page_filters.ts";
import { parseTransactionFilters } from "../transactions/transaction_filters.ts";

type Api = ReturnType<typeof createServerCaller>;

/** What a table's rows are read with. */
export interface ExportSource {
  api: Api;
  params: URLSearchParams;
  timeZone: string;
  now: Date;
}

/** One downloadable table: its columns and its rows, a page at a time. */
export interface ExportTable<Row> {
  // NoInfer: the row type comes from `pages`, and the columns are checked against it
  columns: { header: string; value: (row: NoInfer<Row>) => CsvValue }[];
  pages: (source: ExportSource) => AsyncIterable<Row[]>;
}

function table<Row>(definition: ExportTable<Row>): ExportTable<unknown> {
  return definition as ExportTable<unknown>;
}

/** Pages of a keyset-paged list: asks for the next page with the cursor the previous one returned. */
async function* keysetPages<Row, Cursor>(
  read: (cursor: Cursor | undefined) => Promise<{ items: Row[]; nextCursor: Cursor | null }>,
): AsyncGenerator<Row[]> {
  let cursor: Cursor | undefined;
  do {
    const page = await read(cursor);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

async function* onePage<Row>(read: () => Promise<Row[]>): AsyncGenerator<Row[]> {
  yield await read();
}

const money = centsToDecimal;

// Money columns name the shop's currency: "total_gbp" in a pound shop, "total_eur" in a euro shop
function moneyHeader(header: string): string {
  return header.replace("{currency}", currentStoreFormat().settings.currency.toLowerCase());
}
const ratio = (value: number | null) => value === null ? null : Math.round(value * 10_000) / 10_000;

/** Every exportable table by URL name; the minimum role for any export is analyst (issue 3). */
export const exportTables: Record<string, ExportTable<unknown>> = {
  "transactions": table({
    // the Transactions page's own URL reading (days in the store's zone, amounts in pounds), so its
    // "Export CSV" link carries the page's query string unchanged
    pages: ({ api, params, timeZone }) => {
      const { query } = parseTransactionFilters(new URL(`http://export/?${params}`), timeZone);
      return keysetPages((cursor: string | undefined) =>
        api.transactions.list({ ...query, cursor, limit: 100 })
      );
    },
    columns: [
      { header: "id", value: (t) => t.id },
      { header: "order_ref", value: (t) => t.orderRef },
      { header: "created_at", value: (t) => t.createdAt },
      { header: "status", value: (t) => t.status },
      { header: "customer_id", value: (t) => t.customerId },
      { header: "customer", value: (t) => t.customerName },
      { header: "channel", value: (t) => t.channel },
      { header: "payment_method", value: (t) => t.paymentMethod },
      { header: "items", value: (t) => t.itemCount },
      { header: "total_{currency}", value: (t) => money(t.totalCents) },
      { header: "fraud_score", value: (t) => t.fraudScore },
      { header: "fraud_decision", value: (t) => t.fraudDecision },
      { header: "fraud_label", value: (t) => t.fraudLabel },
    ],
  }),
  "products": table({
    pages: ({ api, params }) =>
      keysetPages((cursor: string | undefined) =>
        api.products.list({ ...productFilters(params), cursor, limit: 100 })
      ),
    columns: [
      { header: "id", value: (p) => p.id },
      { header: "sku", value: (p) => p.sku },
      { header: "name", value: (p) => p.name },
      { header: "category", value: (p) => p.category },
      { header: "brand", value: (p) => p.brand },
      { header: "price_{currency}", value: (p) => money(p.priceCents) },
      { header: "cost_{currency}", value: (p) => p.costCents === null ? null : money(p.costCents) },
      { header: "stock", value: (p) => p.stockQuantity },
      { header: "reorder_point_manual", value: (p) => p.reorderPoint },
      { header: "service_level", value: (p) => p.serviceLevel },
      { header: "target_days_of_cover", value: (p) => p.targetDaysOfCover },
      { header: "suppliers", value: (p) => p.supplierCount },
      { header: "active", value: (p) => p.isActive },
      { header: "updated_at", value: (p) => p.updatedAt },
    ],
  }),
  "alerts": table({
    pages: ({ api, params }) =>
      keysetPages((cursor: string | undefined) =>
        api.alerts.list({ ...alertFilters(params), cursor, limit: 100 })
      ),
    columns: [
      { header: "id", value: (a) => a.id },
      { header: "created_at", value: (a) => a.createdAt },
      { header: "severity", value: (a) => a.severity },
      { header: "type", value: (a) => a.type },
      { header: "status", value: (a) => a.status },
      { header: "title", value: (a) => a.title },
      { header: "message", value: (a) => a.message },
      { header: "entity_type", value: (a) => a.entityType },
      { header: "entity_id", value: (a) => a.entityId },
      { header: "acknowledged_at", value: (a) => a.acknowledgedAt },
      { header: "snoozed_until", value: (a) => a.snoozedUntil },
      { header: "resolved_at", value: (a) => a.resolvedAt },
      { header: "resolution_note", value: (a) => a.resolutionNote },
    ],
  }),
  "alert-rules": table({
    pages: ({ api }) => onePage(async () => (await api.alerts.rules.list()).items),
    columns: [
      { header: "id", value: (r) => r.id },
      { header: "name", value: (r) => r.name },
      { header: "metric", value: (r) => r.metric },
      { header: "comparator", value: (r) => r.comparator },
      { header: "threshold", value: (r) => r.threshold },
      { header: "window_minutes", value: (r) => r.windowMinutes },
      { header: "severity", value: (r) => r.severity },
      { header: "pending_seconds", value: (r) => r.pendingSeconds },
      { header: "cooldown_seconds", value: (r) => r.cooldownSeconds },
      { header: "enabled", value: (r) => r.enabled },
      { header: "state", value: (r) => r.state },
      { header: "last_value", value: (r) => r.lastValue },
      { header: "last_evaluated_at", value: (r) => r.lastEvaluatedAt },
      { header: "webhook", value: (r) => r.webhookUrl !== null },
    ],
  }),
  "low-stock": table({
    pages: ({ api, params }) =>
      onePage(async () => (await api.inventory.lowStock({ ...lowStockFilters(params), limit: 500 })).items),
    columns: [
      { header: "product_id", value: (i) => i.productId },
      { header: "sku", value: (i) => i.sku },
      { header: "name", value: (i) => i.name },
      { header: "category", value: (i) => i.category },
      { header: "urgency", value: (i) => i.urgency },
      { header: "stock", value: (i) => i.stockQuantity },
      { header: "on_order", value: (i) => i.onOrder },
      { header: "reorder_point", value: (i) => i.reorderPoint },
      { header: "safety_stock", value: (i) => i.safetyStock },
      { header: "average_daily_demand", value: (i) => ratio(i.averageDailyDemand) },
      { header: "days_of_cover", value: (i) => ratio(i.daysOfCover) },
      { header: "lead_time_days", value: (i) => i.leadTimeDays },
      { header: "supplier", value: (i) => i.supplier?.name },
      { header: "open_suggestion_id", value: (i) => i.openSuggestionId },
    ],
  }),
  "reorder-suggestions": table({
    pages: ({ api, params }) =>
      keysetPages((cursor: number | undefined) =>
        api.inventory.reorderSuggestions({ ...suggestionFilters(params), cursor, limit: 200 })
      ),
    columns: [
      { header: "id", value: (s) => s.id },
      { header: "status", value: (s) => s.status },
      { header: "urgency", value: (s) => s.urgency },
      { header: "product_id", value: (s) => s.productId },
      { header: "sku", value: (s) => s.sku },
      { header: "product", value: (s) => s.productName },
      { header: "stock", value: (s) => s.stockQuantity },
      { header: "reorder_point", value: (s) => s.reorderPoint },
      { header: "days_until_stockout", value: (s) => ratio(s.daysUntilStockout) },
      { header: "quantity", value: (s) => s.quantity },
      { header: "supplier", value: (s) => s.supplierName },
      { header: "unit_cost_{currency}", value: (s) => money(s.unitCostCents) },
      { header: "estimated_cost_{currency}", value: (s) => money(s.estimatedCostCents) },
      { header: "lead_time_days", value: (s) => s.leadTimeDays },
      { header: "reason", value: (s) => s.reason },
      { header: "supplier_reason", value: (s) => s.supplierChoice.reason },
      {
        header: "supplier_scores",
        value: (s) =>
          s.supplierChoice.suppliers.map((x) =>
            `${x.rank}. ${x.name}: total ${x.total.toFixed(3)} (price ${x.scores.price.toFixed(3)}, ` +
            `reliability ${x.scores.reliability.toFixed(3)}, delivery ${x.scores.delivery.toFixed(3)})`
          ).join("; "),
      },
      { header: "decided_at", value: (s) => s.decidedAt },
      { header: "decision_note", value: (s) => s.decisionNote },
      { header: "purchase_order_id", value: (s) => s.purchaseOrderId },
      { header: "created_at", value: (s) => s.createdAt },
    ],
  }),
  "purchase-orders": table({
    // one row per order line: what a buyer reconciles against the supplier's invoice
    pages: ({ api, params }) => purchaseOrderLines(api, params),
    columns: [
      { header: "purchase_order_id", value: (r) => r.order.id },
      { header: "supplier", value: (r) => r.order.supplierName },
      { header: "status", value: (r) => r.order.status },
      { header: "ordered_at", value: (r) => r.order.orderedAt },
      { header: "expected_at", value: (r) => r.order.expectedAt },
      { header: "received_at", value: (r) => r.order.receivedAt },
      { header: "on_time", value: (r) => r.order.onTime },
      { header: "sku", value: (r) => r.line.sku },
      { header: "product", value: (r) => r.line.productName },
      { header: "quantity", value: (r) => r.line.quantity },
      { header: "unit_cost_{currency}", value: (r) => money(r.line.unitCostCents) },
      { header: "line_total_{currency}", value: (r) => money(r.line.lineTotalCents) },
      { header: "order_total_{currency}", value: (r) => money(r.order.totalCents) },
    ],
  }),
  "forecast": table({
    pages: ({ api, params }) => forecastRows(api, params),
    columns: [
      { header: "day", value: (r) => r.day },
      { header: "kind", value: (r) => r.kind },
      { header: "units_sold", value: (r) => r.units },
      { header: "forecast", value: (r) => r.point },
      { header: "lower_80", value: (r) => r.lower80 },
      { header: "upper_80", value: (r) => r.upper80 },
      { header: "lower_95", value: (r) => r.lower95 },
      { header: "upper_95", value: (r) => r.upper95 },
    ],
  }),
  "hourly-sales": table({
    pages: ({ api, params, timeZone, now }) =>
      onePage(async () => {
        const range = analyticsRange(params, timeZone, now);
        return (await api.analytics.hourlySales({ ...range.input, granularity: range.granularity })).buckets;
      }),
    columns: [
      { header: "start", value: (b) => b.start },
      { header: "orders", value: (b) => b.orders },
      { header: "revenue_{currency}", value: (b) => money(b.revenueCents) },
      { header: "units", value: (b) => b.units },
      { header: "previous_orders", value: (b) => b.previousOrders },
      { header: "previous_revenue_{currency}", value: (b) => money(b.previousRevenueCents) },
      { header: "previous_units", value: (b) => b.previousUnits },
    ],
  }),
  "top-products": table({
    pages: ({ api, params, timeZone, now }) =>
      onePage(async () => {
        const range = analyticsRange(params, timeZone, now);
        const top = await api.analytics.topProducts({
          ...range.input,
          by: topProductsBy(params),
          limit: 100,
        });
        return top.items.map((item, index) => ({ ...item, rank: index + 1 }));
      }),
    columns: [
      { header: "rank", value: (p) => p.rank },
      { header: "product_id", value: (p) => p.productId },
      { header: "sku", value: (p) => p.sku },
      { header: "name", value: (p) => p.name },
      { header: "category", value: (p) => p.category },
      { header: "units", value: (p) => p.units },
      { header: "revenue_{currency}", value: (p) => money(p.revenueCents) },
      { header: "orders", value: (p) => p.orders },
    ],
  }),
  "customer-segments": table({
    pages: ({ api }) => onePage(async () => (await api.analytics.customerSegments()).segments),
    columns: [
      { header: "segment", value: (s) => s.segment },
      { header: "customers", value: (s) => s.customers },
      { header: "customer_share", value: (s) => ratio(s.customerShare) },
      { header: "revenue_{currency}", value: (s) => money(s.revenueCents) },
      { header: "orders", value: (s) => s.orders },
      { header: "average_order_{currency}", value: (s) => money(s.averageOrderCents) },
      { header: "average_recency_days", value: (s) => ratio(s.averageRecencyDays) },
    ],
  }),
  "category-performance": table({
    pages: ({ api, params, timeZone, now }) =>
      onePage(async () =>
        (await api.analytics.categoryPerformance(analyticsRange(params, timeZone, now).input)).items
      ),
    columns: [
      { header: "category", value: (c) => c.category },
      { header: "revenue_{currency}", value: (c) => money(c.revenueCents) },
      { header: "revenue_share", value: (c) => ratio(c.revenueShare) },
      { header: "units", value: (c) => c.units },
      { header: "orders", value: (c) => c.orders },
      { header: "cost_{currency}", value: (c) => money(c.costCents) },
      { header: "margin_{currency}", value: (c) => money(c.marginCents) },
      { header: "margin_rate", value: (c) => ratio(c.marginRate) },
    ],
  }),
  "supplier-performance": table({
    pages: ({ api }) => onePage(async () => (await api.analytics.supplierPerformance()).items),
    columns: [
      { header: "supplier_id", value: (s) => s.supplierId },
      { header: "name", value: (s) => s.name },
      { header: "products", value: (s) => s.products },
      { header: "average_lead_time_days", value: (s) => ratio(s.averageLeadTimeDays) },
      { header: "reliability", value: (s) => ratio(s.reliability) },
      { header: "average_unit_cost_{currency}", value: (s) => money(s.averageUnitCostCents) },
      { header: "low_stock_products", value: (s) => s.lowStockProducts },
    ],
  }),
};

async function* purchaseOrderLines(api: Api, params: URLSearchParams) {
  const orders = keysetPages((cursor: number | undefined) =>
    api.purchaseOrders.list({ ...purchaseOrderFilters(params), cursor, limit: 100 })
  );
  for await (const page of orders) {
    yield page.flatMap((order) => order.lines.map((line) => ({ order, line })));
  }
}

interface ForecastRow {
  day: string;
  kind: "history" | "forecast";
  units: number | null;
  point: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
}

async function* forecastRows(api: Api, params: URLSearchParams): AsyncGenerator<ForecastRow[]> {
  const product = params.get("product") ?? "";
  const prediction = await api.inventory.predictions({
    product_id: /^\d+$/.test(product) ? Number(product) : (product as unknown as number),
    historyDays: Number(params.get("historyDays") ?? 90),
  });
  const empty = { point: null, lower80: null, upper80: null, lower95: null, upper95: null };
  const rows: ForecastRow[] = prediction.history.days.map((day, i) => ({
    day,
    kind: "history",
    units: prediction.history.units[i],
    ...empty,
  }));
  const forecast = prediction.forecast;
  if (forecast) {
    const round = (value: number) => Math.round(value * 100) / 100;
    forecast.days.forEach((day, i) =>
      rows.push({
        day,
        kind: "forecast",
        units: null,
        point: round(forecast.point[i]),
        lower80: round(forecast.lower80[i]),
        upper80: round(forecast.upper80[i]),
        lower95: round(forecast.lower95[i]),
        upper95: round(forecast.upper95[i]),
      })
    );
  }
  yield rows;
}

/** The URL of a table's download with a page's filters, e.g. `exportHref("alerts", url.searchParams)`. */
export function exportHref(name: string, params: URLSearchParams | Record<string, string> = {}): string {
  const query = new URLSearchParams(params);
  for (const key of ["cursor", "limit"]) query.delete(key);
  const text = query.toString();
  return `/export/${name}.csv${text ? `?${text}` : ""}`;
}

/** Mounts `GET /export/:table.csv`. Needs the analyst role (viewers read but do not export). */
export function mountCsvExport(app: Hono, services: Services): void {
  app.get("/export/:file", async (c) => {
    const match = /^([a-z-]+)\.csv$/.exec(c.req.param("file"));
    const name = match?.[1] ?? "";
    if (!Object.hasOwn(exportTables, name)) {
      return jsonError(c, 404, "NOT_FOUND", `No table "${c.req.param("file")}" to export`);
    }
    const url = new URL(c.req.url);
    // Viewers read but do not export
    const caller = await requireCaller(c, services, "analyst", { redirectBrowsers: true });
    if (caller instanceof Response) return caller;
    const definition = exportTables[name];
    const pages = definition.pages({
      api: createServerCaller(services, caller, c.get("requestId")),
      params: url.searchParams,
      timeZone: services.config.STORE_TZ,
      now: new Date(),
    })[Symbol.asyncIterator]();
    // The first page is read before answering, so a bad filter is a 400 with a message, not a broken file
    let first: IteratorResult<unknown[]>;
    try {
      first = await pages.next();
    } catch (error) {
      if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
        return jsonError(c, getHTTPStatusCodeFromError(error), error.code, validationMessage(error));
      }
      c.get("log").error("export failed", { table: name, error });
      return jsonError(c, 500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side");
    }
    const encoder = new TextEncoder();
    const body = csvPageStream({
      header: csvLine(definition.columns.map((column) => moneyHeader(column.header))),
      first,
      pages,
      encodeRows: (rows) =>
        encoder.encode(
          rows.map((row) => csvLine(definition.columns.map((column) => column.value(row)))).join(""),
        ),
      log: c.get("log").child({ table: name }),
    });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="techmart-${name}-${stamp}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}

// A zod failure inside tRPC carries the issues as JSON in its message: name the first field instead
function validationMessage(error: TRPCError): string {
  const cause = error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
  const issue = cause?.issues?.[0];
  if (!issue) return error.message;
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}
