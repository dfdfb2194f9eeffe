import { defineDomain } from "../domain.ts";
import { dashboardRouter } from "./router.ts";

/** The home page's figures (overview, live metrics). */
export const dashboardDomain = defineDomain({
  folder: "dashboard",
  routers: { dashboard: dashboardRouter },
  pages: [{ path: "/", route: "index" }],
});
