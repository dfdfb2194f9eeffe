import { defineDomain } from "../domain.ts";
import { inventoryRouter } from "./router.ts";
import { purchaseOrdersRouter } from "./purchase_orders_router.ts";
import { calendarEventsRouter } from "./calendar_events_router.ts";
import { inventoryPredictionsJob } from "./predictions_job.ts";
import { reorderSuggestionsJob } from "./reorder_suggestions_job.ts";

/** Stock planning: low stock, reorder suggestions, purchase orders, the store's calendar. */
export const inventoryDomain = defineDomain({
  folder: "inventory",
  routers: {
    inventory: inventoryRouter,
    purchaseOrders: purchaseOrdersRouter,
    calendarEvents: calendarEventsRouter,
  },
  jobs: [inventoryPredictionsJob, reorderSuggestionsJob],
  events: ["suggestion.changed", "calendar.changed"],
  exports: ["low-stock", "reorder-suggestions", "purchase-orders", "forecast"],
  pages: [{ path: "/inventory", route: "inventory" }],
});
