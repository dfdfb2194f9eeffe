import { defineDomain } from "../domain.ts";
import { notificationsRouter } from "./router.ts";

/** Where alerts are sent: policies, contact points, silences, report emails (its pages are the Alerts page's tabs). */
export const notificationsDomain = defineDomain({
  folder: "notifications",
  routers: { notifications: notificationsRouter },
  events: ["notifications.changed"],
});
