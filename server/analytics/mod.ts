import { defineDomain } from "../domain.ts";
import { analyticsRouter } from "./router.ts";

/** Sales analytics over the read models. */
export const analyticsDomain = defineDomain({
  folder: "analytics",
  routers: { analytics: analyticsRouter },
  exports: [
    "hourly-sales",
    "top-products",
    "customer-segments",
    "category-performance",
    "supplier-performance",
  ],
  pages: [{ path: "/analytics", route: "analytics" }],
});
