import { z } from "zod";
import { publicProcedure, router } from "../trpc/init.ts";

const storeSettingsSchema = z.object({
  currency: z.string(),
  locale: z.string(),
  timeZone: z.string(),
});

export const settingsRouter = router({
  /** How the shop writes money and dates, so clients format amounts and times as the pages do. */
  store: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/settings/store",
        tags: ["settings"],
        summary: "The shop's currency (ISO 4217), locale and time zone",
      },
    })
    .input(z.void())
    .output(storeSettingsSchema)
    .query(({ ctx }) => ({
      currency: ctx.config.STORE_CURRENCY,
      locale: ctx.config.STORE_LOCALE,
      timeZone: ctx.config.STORE_TZ,
    })),
});
