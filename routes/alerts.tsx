import { countOf } from "../server/shared/format.ts";
import { LiveUpdates } from "../components/LiveUpdates.tsx";
import { ALERT_TYPES } from "../components/alert_types.ts";
import { SelectField } from "../components/Field.tsx";
import { FilterForm } from "../components/FilterForm.tsx";
import {
  AlertTabBar,
  alertTabOf,
  loadNotificationTab,
  NotificationTab,
} from "../components/NotificationTabs.tsx";
import { PageHeader, Panel } from "../components/Panel.tsx";
import { Pager } from "../components/Pager.tsx";
import { hrefWith } from "../components/url.ts";
import AlertList from "../islands/AlertList.tsx";
import AlertRules from "../islands/AlertRules.tsx";
import { roleAtLeast } from "../server/trpc/roles.ts";
import { exportHref } from "../server/http/csv_export.ts";
import { alertFilters } from "../server/http/page_filters.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Alerts", minRole: "viewer" } as const;

const severities = ["critical", "high", "medium", "low", "info"];
const statuses = ["open", "acknowledged", "snoozed", "resolved"];

export async function load(ctx: PageContext) {
  const tab = alertTabOf(ctx.url);
  // the Policies, Contact points and Silences tabs (components/NotificationTabs.tsx) load their own data
  if (tab !== "alerts") return { tab, notifications: await loadNotificationTab(ctx, tab) } as const;
  const params = ctx.url.searchParams;
  const cursor = params.get("cursor") || undefined;
  const [page, rules, openCounts] = await Promise.all([
    ctx.api.alerts.list({ ...alertFilters(params), cursor, limit: 50 }),
    ctx.api.alerts.rules.list(),
    // the headline counts: open alerts by severity (one small page per severity would be five calls;
    // the newest 100 open ones are what a person triages)
    ctx.api.alerts.list({ status: "open", limit: 100 }),
  ]);
  return { tab, page, rules: rules.items, openCounts };
}

type Data = Awaited<ReturnType<typeof load>>;

/** Alerts: filter and triage (acknowledge, snooze, resolve with a note, delete), and the rules that raise them. */
export default function AlertsPage({ data, url, caller }: PageProps<Data>) {
  const role = caller?.role ?? "viewer";
  if (data.tab !== "alerts") {
    return (
      <>
        <PageHeader>Where alerts are sent, how they are grouped, and what is silenced.</PageHeader>
        <AlertTabBar current={data.tab} />
        <NotificationTab data={data.notifications} role={role} />
      </>
    );
  }
  const filters = alertFilters(url.searchParams);
  const open = data.openCounts.items;
  const bySeverity = (severity: string) => open.filter((alert) => alert.severity === severity).length;
  const more = data.openCounts.nextCursor !== null ? "+" : "";
  return (
    <>
      <LiveUpdates
        events={["alert.raised", "alert.changed"]}
        regions={[".alert-kpis", "#alert-list", "#alert-rules"]}
      />
      <PageHeader
        actions={roleAtLeast(role, "analyst") && (
          <a class="button small secondary" href={exportHref("alerts", url.searchParams)}>Export CSV</a>
        )}
      >
        What needs attention, and the rules that raise it.
      </PageHeader>
      <AlertTabBar current="alerts" />
      <dl class="kpis alert-kpis">
        <div class="kpi">
          <dt class="kpi-label">Open</dt>
          <dd class="kpi-value">
            <a href={hrefWith(url, { status: "open", severity: undefined, cursor: undefined })}>
              {open.length}
              {more}
            </a>
          </dd>
          <dd class="kpi-change">including expired snoozes</dd>
        </div>
        {["critical", "high", "medium"].map((severity) => (
          <div class="kpi" key={severity}>
            <dt class="kpi-label">Open · {severity}</dt>
            <dd class={`kpi-value${severity === "critical" && bySeverity(severity) > 0 ? " text-bad" : ""}`}>
              <a href={hrefWith(url, { status: "open", severity, cursor: undefined })}>
                {bySeverity(severity)}
              </a>
            </dd>
            <dd class="kpi-change">{severity === "critical" ? "act now" : "triage today"}</dd>
          </div>
        ))}
        <div class="kpi">
          <dt class="kpi-label">Rules firing</dt>
          <dd class="kpi-value">
            {data.rules.filter((rule) => rule.enabled && rule.state === "firing").length}
          </dd>
          <dd class="kpi-change">of {data.rules.length} rules</dd>
        </div>
      </dl>
      <div class="grid grid-main-side">
        <Panel title="Alerts" meta="newest first" flush id="alert-list">
          <FilterForm
            action="/alerts"
            label="Filter alerts"
            active={Boolean(filters.severity || filters.type || filters.status)}
          >
            <SelectField
              label="Severity"
              name="severity"
              idPrefix="alerts"
              emptyLabel="Any severity"
              value={filters.severity}
              options={severities.map((value) => ({ value, label: value }))}
            />
            <SelectField
              label="Type"
              name="type"
              idPrefix="alerts"
              emptyLabel="Any type"
              value={filters.type}
              options={[...ALERT_TYPES]}
            />
            <SelectField
              label="Status"
              name="status"
              idPrefix="alerts"
              emptyLabel="Any status"
              value={filters.status}
              options={statuses.map((value) => ({ value, label: value }))}
            />
          </FilterForm>
          <AlertList
            alerts={data.page.items}
            canTriage={roleAtLeast(role, "analyst")}
            canResolve={roleAtLeast(role, "manager")}
          />
          <div class="panel-pager">
            <Pager url={url} nextCursor={data.page.nextCursor} count={data.page.items.length} noun="alerts" />
          </div>
        </Panel>
        <Panel
          title="Alert rules"
          id="alert-rules"
          meta={countOf(data.rules.length, "rule")}
          actions={roleAtLeast(role, "analyst") && (
            <a class="button small secondary" href={exportHref("alert-rules")}>Export CSV</a>
          )}
        >
          <AlertRules rules={data.rules} canEdit={roleAtLeast(role, "manager")} />
        </Panel>
      </div>
    </>
  );
}
