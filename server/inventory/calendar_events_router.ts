import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../auth/audit.ts";
import { publishAfterCommit } from "../events/bus.ts";
import { addDays, storeDay } from "../shared/store_time.ts";
import { managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import {
  clashingDays,
  deleteStoreEvent,
  findCalendarEventSpan,
  insertStoreEvent,
  listCalendarEventSpans,
} from "./calendar_events.ts";
import { idParamSchema } from "../shared/ids.ts";

/** The longest store event, in days. */
export const MAX_EVENT_DAYS = 60;
/** The widest range `list` reads, in days. */
const MAX_LIST_DAYS = 400;

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD").refine(
  (day) =>
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
  "Not a real date",
);

/** Days from `from` to `to`, inclusive. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const spanSchema = z.object({
  id: z.number().int().describe("Delete by this id (store events only)"),
  kind: z.enum(["promotion", "closure", "holiday"]),
  name: z.string(),
  note: z.string(),
  source: z.enum(["store", "holidays"]).describe(
    "store: added by staff; holidays: the public holiday calendar",
  ),
  startsOn: z.string().describe("First day, YYYY-MM-DD"),
  endsOn: z.string().describe("Last day, inclusive"),
});

/**
 * The store's own promotions and closures beside the public holidays, which the demand forecasts use
 * as adjustments. Staff add and remove the store's events; holidays come from date-holidays only.
 */
export const calendarEventsRouter = router({
  /** Events with a day in the range (by default the next 90 days), holidays included. */
  list: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/calendar-events",
        tags: ["inventory"],
        summary: "Promotions, closures and public holidays in a date range",
      },
    })
    .input(z.object({
      from: daySchema.optional().describe(
        "First day (YYYY-MM-DD); today in the store's time zone by default",
      ),
      to: daySchema.optional().describe("Last day, inclusive; 90 days after from by default"),
    }))
    .output(z.object({ items: z.array(spanSchema) }))
    .query(async ({ ctx, input }) => {
      const from = input.from ?? storeDay(new Date(), ctx.config.STORE_TZ);
      const to = input.to ?? addDays(from, 89);
      if (to < from) throw new TRPCError({ code: "BAD_REQUEST", message: "to: Must not be before from" });
      if (daysBetween(from, to) > MAX_LIST_DAYS) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `to: At most ${MAX_LIST_DAYS} days after from` });
      }
      return { items: await listCalendarEventSpans(ctx.db.sql, from, to) };
    }),

  /** Adds a store promotion or closure over one or more days. */
  create: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/calendar-events",
        tags: ["inventory"],
        summary: "Add a store promotion or closure",
        description:
          `At most ${MAX_EVENT_DAYS} days, end date inclusive. 409 when an event of the same kind and ` +
          "name is already on one of its days.",
      },
    })
    .input(z.object({
      kind: z.enum(["promotion", "closure"], { message: "Choose promotion or closure" }),
      name: z.string().trim().min(1, "Enter a name").max(200, "Use at most 200 characters for the name"),
      startsOn: daySchema.describe("First day, YYYY-MM-DD"),
      endsOn: daySchema.describe("Last day, inclusive"),
      note: z.string().trim().max(500, "Use at most 500 characters for the note").default(""),
    }))
    .output(spanSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.endsOn < input.startsOn) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "endsOn: The end date is before the start date",
        });
      }
      const days = daysBetween(input.startsOn, input.endsOn);
      if (days > MAX_EVENT_DAYS) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `endsOn: An event lasts at most ${MAX_EVENT_DAYS} days (this one is ${days})`,
        });
      }
      const id = await ctx.db.sql.begin(async (tx) => {
        const clashes = await clashingDays(tx, input);
        if (clashes.length > 0) {
          throw new TRPCError({
            code: "CONFLICT",
            message: `A ${input.kind} named "${input.name}" is already on ${clashes[0]}`,
          });
        }
        const id = await insertStoreEvent(tx, input);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "calendar_event.created",
          entityType: "calendar_event",
          entityId: id,
          details: { kind: input.kind, name: input.name, startsOn: input.startsOn, endsOn: input.endsOn },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return id;
      });
      await publishAfterCommit(ctx, { type: "calendar.changed", data: { id, action: "created" } });
      ctx.responseMeta.status = 201;
      return (await findCalendarEventSpan(ctx.db.sql, id))!;
    }),

  /** Removes a store promotion or closure (all its days). Public holidays cannot be removed. */
  delete: managerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/calendar-events/{id}",
        tags: ["inventory"],
        summary: "Remove a store promotion or closure",
        description:
          "404 for an unknown id; 409 for a public holiday, which comes from the holiday calendar.",
      },
    })
    .input(z.object({ id: idParamSchema }))
    .output(z.object({ id: z.number().int(), deletedDays: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const deleted = await ctx.db.sql.begin(async (tx) => {
        const event = await findCalendarEventSpan(tx, input.id);
        if (!event) {
          throw new TRPCError({ code: "NOT_FOUND", message: `No calendar event with id ${input.id}` });
        }
        if (event.source !== "store") {
          throw new TRPCError({
            code: "CONFLICT",
            message:
              `${event.name} is a public holiday from the holiday calendar; only the store's own events ` +
              "can be removed",
          });
        }
        const deletedDays = await deleteStoreEvent(tx, input.id);
        await recordAudit(tx, {
          caller: ctx.caller,
          action: "calendar_event.deleted",
          entityType: "calendar_event",
          entityId: input.id,
          details: { kind: event.kind, name: event.name, startsOn: event.startsOn, endsOn: event.endsOn },
          ip: ctx.ip,
          requestId: ctx.requestId,
        });
        return { id: input.id, deletedDays };
      });
      await publishAfterCommit(ctx, { type: "calendar.changed", data: { id: input.id, action: "deleted" } });
      return deleted;
    }),
});
