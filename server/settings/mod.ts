import { defineDomain } from "../domain.ts";
import { settingsRouter } from "./router.ts";

/** The shop's settings (currency, locale, time zone). */
export const settingsDomain = defineDomain({
  folder: "settings",
  routers: { settings: settingsRouter },
});
