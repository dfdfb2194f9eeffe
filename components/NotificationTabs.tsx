import ContactPoints from "../islands/ContactPoints.tsx";
import NotificationPolicies from "../islands/NotificationPolicies.tsx";
import ReportSubscriptions from "../islands/ReportSubscriptions.tsx";
import Silences from "../islands/Silences.tsx";
import { type Role, roleAtLeast } from "../server/trpc/roles.ts";
import type { PageContext } from "../server/http/pages/page.ts";
import { LiveUpdates } from "./LiveUpdates.tsx";
import { Panel } from "./Panel.tsx";

export const alertTabs = [
  { value: "alerts", label: "Alerts" },
  { value: "policies", label: "Policies" },
  { value: "contact-points", label: "Contact points" },
  { value: "silences", label: "Silences" },
  { value: "subscriptions", label: "Subscriptions" },
] as const;
export type AlertTab = (typeof alertTabs)[number]["value"];

export function alertTabOf(url: URL): AlertTab {
  const tab = url.searchParams.get("tab");
  return alertTabs.some((t) => t.value === tab) ? tab as AlertTab : "alerts";
}

/** The tab bar of the Alerts page. */
export function AlertTabBar({ current }: { current: AlertTab }) {
  return (
    <nav class="tabs" aria-label="Alerts sections">
      {alertTabs.map((tab) => (
        <a
          key={tab.value}
          href={tab.value === "alerts" ? "/alerts" : `/alerts?tab=${tab.value}`}
          aria-current={tab.value === current ? "page" : undefined}
        >
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

/** What a notification tab shows: Subscriptions its own data, the others the settings. */
export async function loadNotificationTab(ctx: PageContext, tab: Exclude<AlertTab, "alerts">) {
  if (tab === "subscriptions") {
    const manager = ctx.caller !== null && roleAtLeast(ctx.caller.role, "manager");
    const [mine, history, everyone] = await Promise.all([
      ctx.api.notifications.reportSubscriptions.list(),
      ctx.api.notifications.reportSubscriptions.deliveries(),
      manager ? ctx.api.notifications.reportSubscriptions.all() : null,
    ]);
    return {
      tab,
      mine: mine.items,
      history: history.items.slice(0, 10),
      everyone: everyone?.items ?? null,
    } as const;
  }
  const [points, policies, silences] = await Promise.all([
    ctx.api.notifications.contactPoints.list(),
    ctx.api.notifications.policies.list(),
    ctx.api.notifications.silences.list(),
  ]);
  return { tab, points: points.items, policies: policies.items, silences: silences.items } as const;
}

/** The Policies, Contact points, Silences or Subscriptions tab, live: a change anywhere redraws it. */
export function NotificationTab(
  { data, role }: { data: Awaited<ReturnType<typeof loadNotificationTab>>; role: Role },
) {
  return (
    <>
      <LiveUpdates events={["notifications.changed"]} regions={[`#${data.tab}`]} />
      <NotificationTabBody data={data} role={role} />
    </>
  );
}

function NotificationTabBody(
  { data, role }: { data: Awaited<ReturnType<typeof loadNotificationTab>>; role: Role },
) {
  if (data.tab === "subscriptions") {
    return (
      <Panel title="Report subscriptions" meta="daily and weekly sales reports by email" id="subscriptions">
        <ReportSubscriptions mine={data.mine} history={data.history} everyone={data.everyone} />
      </Panel>
    );
  }
  if (data.tab === "contact-points") {
    return (
      <Panel title="Contact points" meta={`${data.points.length}`} id="contact-points">
        <ContactPoints
          points={data.points}
          canEdit={roleAtLeast(role, "manager")}
        />
      </Panel>
    );
  }
  if (data.tab === "policies") {
    return (
      <Panel title="Notification policies" meta="tried in order; the default takes the rest" id="policies">
        <NotificationPolicies
          policies={data.policies}
          contactPoints={data.points.map(({ id, name }) => ({ id, name }))}
          canEdit={roleAtLeast(role, "manager")}
        />
      </Panel>
    );
  }
  return (
    <Panel title="Silences" meta="active and scheduled" id="silences">
      <Silences silences={data.silences} canEdit={roleAtLeast(role, "analyst")} />
    </Panel>
  );
}
