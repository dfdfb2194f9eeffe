import OverviewCards from "../islands/OverviewCards.tsx";
import type { PageContext, PageProps } from "../server/pages/page.ts";

export const config = { title: "Dashboard", minRole: "viewer" } as const;

export async function load(ctx: PageContext) {
  return { overview: await ctx.api.dashboard.overview() };
}

export default function DashboardPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  const { overview } = data;
  return (
    <OverviewCards
      today={overview.today}
      previous={overview.previous}
      asOf={overview.asOf.toISOString()}
      refreshSeconds={15}
    />
  );
}
