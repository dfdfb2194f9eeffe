/**
 * tRPC + REST for the shop's fraud settings: the cold-start review ceiling (the most of the shop's sales the
 * shipped prior may send to review) and whether it follows the shop's own fraud labels each day. Anyone who
 * reads the Fraud page reads them; only admins change them, and a change takes effect at once: today's
 * operating point is computed again, on every instance. The reading also says what ceiling the shop's labels
 * suggest (docs/fraud.md, "a ceiling from the first labels"), which is in force while the shop follows them.
 */
import { z } from "zod";
import type { Sql } from "../../db/mod.ts";
import { type EventBus, publishAfterCommit } from "../../events/bus.ts";
import { adminProcedure, analystProcedure, router } from "../../trpc/init.ts";
import { operatingPointNow } from "./in_force.ts";
import { MAX_REVIEW_CEILING, MIN_REVIEW_CEILING } from "./operating_point.ts";
import { forgetOperatingPoint } from "./operating_point_queries.ts";
import { labelCeilingProposalNow } from "./label_ceiling_queries.ts";
import { operatingPointSchema } from "./router.ts";
import { readFraudSettings, saveFraudSettings } from "./settings_queries.ts";

const tags = ["fraud"];
const rangeMessage =
  `The cold-start review ceiling is a share of sales between ${MIN_REVIEW_CEILING} and ${MAX_REVIEW_CEILING} (${
    100 * MIN_REVIEW_CEILING
  }% to ${100 * MAX_REVIEW_CEILING}%)`;

const settingsSchema = z.object({
  coldStartMaxReviewRate: z.number().describe(
    "The most of the shop's sales the shipped prior may send to review at cold start (0.05 = 5%); while the shop follows its labels, the labels' proposal replaces it once there is one",
  ),
  followLabels: z.boolean().describe(
    "Whether the ceiling follows the shop's own fraud labels each day (labelProposal); on until an admin sets a ceiling",
  ),
  updatedBy: z.string().nullable(),
  updatedAt: z.date().nullable(),
  operatingPoint: operatingPointSchema.nullable().describe(
    "Today's cold-start operating point under this ceiling; null while too few sales were scored by the prior, or when the shop's own model scores",
  ),
  labelProposal: z.object({
    confirmedFraudRate: z.number().describe("Share of the window's sales confirmed as fraud before today"),
    ceiling: z.number().describe(
      "The ceiling that share suggests (a share of sales, inside the admin range)",
    ),
    confirmedFraud: z.number().int(),
    sales: z.number().int(),
  }).nullable().describe(
    "The ceiling the shop's own fraud labels suggest: the share of the 90 days' sales before today labeled fraud before today (analysts' labels, chargebacks); null while fewer than 10 are",
  ),
});

export const fraudSettingsRouter = router({
  /** The settings, with today's operating point under them. */
  get: analystProcedure
    .meta({ openapi: { method: "GET", path: "/fraud/settings", tags, summary: "Fraud settings" } })
    .input(z.void())
    .output(settingsSchema)
    .query(async ({ ctx }) => {
      return await withTodaysFigures(ctx, readFraudSettings(ctx.db.sql));
    }),

  /** Changes the cold-start review ceiling; audit-logged, in force at once on every instance. */
  set: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/fraud/settings",
        tags,
        summary: "Change the fraud settings",
        description:
          `coldStartMaxReviewRate: ${rangeMessage}. A shop whose fraud rate is above the ceiling ` +
          "raises it so the shipped prior keeps its recall until the shop's own model scores; setting it stops " +
          "following the labels unless followLabels is true in the same change. followLabels: true makes the " +
          "labels' proposal of each day the ceiling (the stored one while there is none). Today's operating point " +
          "is computed again; earlier days keep theirs.",
      },
    })
    .input(
      z.object({
        coldStartMaxReviewRate: z.number({ message: rangeMessage })
          .min(MIN_REVIEW_CEILING, rangeMessage)
          .max(MAX_REVIEW_CEILING, rangeMessage)
          .optional(),
        followLabels: z.boolean({ message: "followLabels is true or false" }).optional(),
      }).refine(
        (change) => change.coldStartMaxReviewRate !== undefined || change.followLabels !== undefined,
        { message: "Give coldStartMaxReviewRate, followLabels or both" },
      ),
    )
    .output(settingsSchema)
    .mutation(async ({ ctx, input }) => {
      const saved = await saveFraudSettings(ctx.db.sql, input, {
        caller: ctx.caller,
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      forgetOperatingPoint(ctx.db.sql);
      await publishAfterCommit(ctx, {
        type: "fraud.settings_changed",
        data: { coldStartMaxReviewRate: saved.coldStartMaxReviewRate, followLabels: saved.followLabels },
      });
      return await withTodaysFigures(ctx, Promise.resolve(saved));
    }),
});

/** The settings with what they mean today: the operating point under them and the labels' proposal. */
async function withTodaysFigures<T extends object>(
  deps: { db: { sql: Sql }; bus: EventBus },
  settings: Promise<T>,
) {
  const [read, operatingPoint, labelProposal] = await Promise.all([
    settings,
    operatingPointNow(deps.db.sql),
    labelCeilingProposalNow({ sql: deps.db.sql, bus: deps.bus }),
  ]);
  return { ...read, operatingPoint, labelProposal };
}
