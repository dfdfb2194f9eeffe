import IntegrationAdmin from "../../islands/IntegrationAdmin.tsx";
import type { PageContext, PageProps } from "../../server/http/pages/page.ts";

export const config = { title: "Integrations", minRole: "admin" } as const;

export async function load(ctx: PageContext) {
  const [integrations, deliveries] = await Promise.all([
    ctx.api.integrations.list(),
    ctx.api.integrations.deliveries({ limit: 100 }),
  ]);
  return { integrations, deliveries };
}

export default function IntegrationsPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <p class="muted">
        A live order feed keeps sales flowing in after the first import. Point your shop's order webhooks
        (order created, order updated, refund created) at the address shown when you add an integration; each
        delivery is checked against the integration's secret, applied once however often it is sent, and
        listed below. See docs/import.md.
      </p>
      <IntegrationAdmin integrations={data.integrations} deliveries={data.deliveries} />
    </>
  );
}
