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

/** What an admin needs to connect a feed, said on the page (the fields are `genericOrderEvent`'s). */
function HowToConnect() {
  return (
    <details class="panel collapsible" data-testid="integration-how-to">
      <summary>How to connect a shop</summary>
      <div class="panel-body">
        <ol>
          <li>
            Add an integration below. The page shows its address and a secret once: copy both before you leave
            the page.
          </li>
          <li>
            <strong>Shopify:</strong>{" "}
            have the shop's webhooks for orders/create, orders/updated and refunds/create sent to that address
            in JSON. Shopify signs each one (the <code>X-Shopify-Hmac-Sha256</code>{" "}
            header); it must be made with the same secret.
          </li>
          <li>
            <strong>Signed JSON orders</strong>{" "}
            (any other system): send each order as JSON in a POST to that address with the header{" "}
            <code>X-TechMart-Signature: sha256=</code>{" "}
            followed by the HMAC-SHA256 of the body made with the secret, in hex. The order has{" "}
            <code>event</code> (order.created, order.updated or order.refunded), <code>orderId</code>,{" "}
            <code>createdAt</code>, <code>updatedAt</code>, <code>items</code> (each a <code>sku</code> and a
            {" "}
            <code>quantity</code>) and may have <code>customer</code> (<code>email</code>, <code>name</code>,
            {" "}
            <code>country</code>), <code>paymentMethod</code>, <code>channel</code> and <code>status</code>
            {" "}
            (open, cancelled or refunded).
          </li>
        </ol>
        <p>
          Products are matched by SKU: an order naming a SKU this shop does not have is refused, and the
          deliveries list below says which. A delivery without the right signature is refused too. The same
          order sent again is applied once; an update older than the one already received changes nothing.
        </p>
      </div>
    </details>
  );
}

export default function IntegrationsPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <p class="muted">
        A live order feed keeps sales flowing in after the first import. Point your shop's order webhooks
        (order created, order updated, refund created) at the address shown when you add an integration; each
        delivery is checked against the integration's secret, applied once however often it is sent, and
        listed below.
      </p>
      <HowToConnect />
      <IntegrationAdmin integrations={data.integrations} deliveries={data.deliveries} />
    </>
  );
}
