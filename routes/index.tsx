import ConnectionStatus from "../islands/ConnectionStatus.tsx";
import LiveFeed from "../islands/LiveFeed.tsx";
import OverviewCards from "../islands/OverviewCards.tsx";
import type { PageContext, PageProps } from "../server/pages/page.ts";

export const config = { title: "Dashboard", minRole: "viewer" } as const;

export async function load(ctx: PageContext) {
  const [overview, recent] = await Promise.all([
    ctx.api.dashboard.overview(),
    ctx.api.transactions.list({ limit: 10 }),
  ]);
  return { overview, recent: recent.items };
}

export default function DashboardPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  const { overview, recent } = data;
  return (
    <>
      <ConnectionStatus label="Live" />
      <OverviewCards
        today={overview.today}
        previous={overview.previous}
        asOf={overview.asOf.toISOString()}
        refreshSeconds={15}
      />
      <LiveFeed
        figures={{
          revenueCents: overview.today.revenueCents,
          orders: overview.today.orders,
          suspiciousToday: overview.suspicious.today,
          openAlerts: overview.openAlerts.total,
        }}
        recent={recent.map((row) => ({
          id: row.id,
          orderRef: row.orderRef,
          status: row.status,
          totalCents: row.totalCents,
          fraudDecision: row.fraudDecision,
          createdAt: row.createdAt.toISOString(),
        }))}
        limit={10}
      />
    </>
  );
}
