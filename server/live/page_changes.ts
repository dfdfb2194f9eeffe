import { tracked, type TrackedEnvelope } from "@trpc/server";
import { z } from "zod";
import type { AppEventType } from "../events/bus.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import { followEvents, parseLastEventId } from "./follow_events.ts";
import { liveHub } from "./hub.ts";

/** The events a page may follow to know that what it shows has changed. */
export const pageEventTypes = [
  "transaction.created",
  "transaction.updated",
  "stock.changed",
  "alert.raised",
  "alert.changed",
  "suggestion.changed",
  "views.refreshed",
  "job.run",
  "product.changed",
  "fraud.rules_changed",
  "fraud.lists_changed",
  "fraud.settings_changed",
  "notifications.changed",
  "calendar.changed",
] as const satisfies readonly AppEventType[];

export type PageEventType = (typeof pageEventTypes)[number];

/** One change: only its type and when, so a page learns *that* something moved, never data it may not see. */
export interface PageChange {
  type: PageEventType;
  at: string;
}

/** `live.onChange` */
export const pageLiveRouter = router({
  /**
   * A message per event of the requested types, tracked by event id (a reconnecting wsLink resumes
   * after the last one). Pages re-read what they show through their own procedures, which check
   * rights as usual (islands/LiveRefresh.tsx).
   */
  onChange: viewerProcedure
    .input(z.object({
      types: z.array(z.enum(pageEventTypes)).min(1).max(pageEventTypes.length),
      lastEventId: z.string().max(20).nullish(),
    }))
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<TrackedEnvelope<PageChange>> {
      const events = followEvents(liveHub(ctx.services), {
        types: new Set<AppEventType>(input.types),
        lastId: parseLastEventId(input.lastEventId),
        signal,
      });
      for await (const event of events) {
        yield tracked(String(event.id), { type: event.type as PageEventType, at: event.at });
      }
    }),
});
