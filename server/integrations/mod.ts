import { defineDomain } from "../domain.ts";
import { integrationsRouter } from "./router.ts";

/** Live order feeds (signed webhooks). */
export const integrationsDomain = defineDomain({
  folder: "integrations",
  routers: { integrations: integrationsRouter },
  pages: [{ path: "/admin/integrations", route: "admin/integrations" }],
});
