import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { Panel } from "../components/Panel.tsx";
import { paymentMethodLabel } from "../server/shared/payment_labels.ts";
import { countOf, formatCents, formatDate, formatDateTime } from "../server/shared/format.ts";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { HttpError } from "../server/http/pages/http_error.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Daily reports", minRole: "viewer" } as const;

export async function load(ctx: PageContext) {
  const list = await ctx.api.reports.daily({ limit: 60 });
  const requested = ctx.url.searchParams.get("date");
  const date = requested ?? list.items[0]?.reportDate;
  if (requested && !/^\d{4}-\d{2}-\d{2}$/.test(requested)) {
    throw new HttpError(400, `"${requested}" is not a date such as 2026-01-15`);
  }
  const report = date ? await ctx.api.reports.dailyReport({ date }) : null;
  return {
    canDownload: ctx.caller ? roleAtLeast(ctx.caller.role, "analyst") : false,
    reports: list.items,
    report,
  };
}

type Data = Awaited<ReturnType<typeof load>>;

/** A store day ("2026-12-05") as every other date on the pages: "5 Dec 2026" (a calendar day, so UTC). */
const dayText = (day: string) => formatDate(`${day}T00:00:00Z`, "UTC");

function Lines(
  { title, rows, label }: {
    title: string;
    rows: { key: string; orders: number; units: number; revenueCents: number }[];
    label: string;
  },
) {
  return (
    <table class="data-table">
      <caption class="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th>{label}</th>
          <th class="num">Orders</th>
          <th class="num">Units</th>
          <th class="num">Revenue</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={4} class="muted">No sales</td>
          </tr>
        )}
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{row.key}</td>
            <td class="num">{row.orders}</td>
            <td class="num">{row.units}</td>
            <td class="num">{formatCents(row.revenueCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function ReportsPage({ data }: PageProps<Data>) {
  const { report } = data;
  return (
    <div class="reports">
      <LiveUpdates events={["job.run"]} regions={["#report-list"]} />
      <Panel title="Reports" meta={countOf(data.reports.length, "store day")} flush id="report-list">
        {data.reports.length === 0
          ? (
            <p class="muted panel-body">
              No report yet: the first one is stored after the store's next midnight.
            </p>
          )
          : (
            <ul class="report-list">
              {data.reports.map((item) => (
                <li
                  key={item.reportDate}
                  aria-current={item.reportDate === report?.reportDate ? "page" : undefined}
                >
                  <a href={`/reports?date=${item.reportDate}`}>{dayText(item.reportDate)}</a>{" "}
                  <span class="muted">
                    {countOf(item.orders, "order")} · {formatCents(item.revenueCents)}
                  </span>
                </li>
              ))}
            </ul>
          )}
      </Panel>
      {report && (
        <Panel
          title={`Sales on ${dayText(report.reportDate)}`}
          meta={`${report.timeZone} · generated ${formatDateTime(report.generatedAt, report.timeZone)}`}
          actions={data.canDownload && (
            <a class="button" href={`/api/v1/reports/daily/${report.reportDate}.csv`} download>
              Download CSV
            </a>
          )}
        >
          <dl class="facts report-totals">
            <dt>Revenue</dt>
            <dd>{formatCents(report.revenueCents)}</dd>
            <dt>Orders</dt>
            <dd>{report.orders}</dd>
            <dt>Units</dt>
            <dd>{report.units}</dd>
            <dt>Customers</dt>
            <dd>{report.customers}</dd>
            <dt>Average order</dt>
            <dd>{formatCents(report.averageOrderCents)}</dd>
            <dt>Refunded</dt>
            <dd>{report.refundedOrders} ({formatCents(report.refundedCents)})</dd>
            <dt>Cancelled</dt>
            <dd>{report.cancelledOrders}</dd>
            <dt>Flagged by fraud checks</dt>
            <dd>{report.suspiciousOrders}</dd>
          </dl>
          <h3>By category</h3>
          <Lines title="By category" rows={report.byCategory} label="Category" />
          <h3>Top products</h3>
          <Lines
            title="Top products"
            rows={report.topProducts.map((p) => ({ ...p, key: p.name }))}
            label="Product"
          />
          <h3>By payment method</h3>
          <Lines
            title="By payment method"
            rows={report.byPayment.map((p) => ({ ...p, key: paymentMethodLabel(p.key) }))}
            label="Payment"
          />
          <h3>By hour ({report.timeZone})</h3>
          <Lines
            title="By hour"
            rows={report.byHour.map((h) => ({ ...h, key: `${h.key}:00` }))}
            label="Hour"
          />
        </Panel>
      )}
    </div>
  );
}
