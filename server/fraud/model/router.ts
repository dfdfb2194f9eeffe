/**
 * tRPC + REST for the fraud models: the versions with their validation figures, training on demand, and
 * activation (after reading the figures: the backtest-before-activate flow of the rules).
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../../auth/audit.ts";
import { adminProcedure, analystProcedure, router } from "../../trpc/init.ts";
import { activeFraudRules } from "../active_rules.ts";
import { activateModelVersion, listModelVersions } from "./model_queries.ts";
import { loadPriorModel } from "./prior.ts";
import { labelsSinceTraining, modelInForce, topFeatures } from "./in_force.ts";
import { MIN_LABELED, MIN_LABELED_FRAUD, trainShopModel } from "./train_shop.ts";
import { LINK_RULES } from "./combine.ts";
import type { FeatureName } from "./feature_names.ts";
import { confirmedDevicesNow } from "./confirmed_device_queries.ts";

const tags = ["fraud"];
const figures = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
const feature = z.object({ feature: z.string(), share: z.number() });
const curvePoint = z.object({
  score: z.number(),
  precision: z.number(),
  recall: z.number(),
  flaggedPerDay: z.number(),
});
/** The shop's cold-start operating point (`in_force.ts` `OperatingPointSummary`). */
export const operatingPointSchema = z.object({
  priorThreshold: z.number(),
  reviewRate: z.number(),
  sharedReviewRate: z.number(),
  reviewsPerDay: z.number(),
  sales: z.number().int(),
  days: z.number().int(),
  maxReviewRate: z.number(),
  fromLabels: z.boolean(),
  effectiveFrom: z.string(),
  linkRules: z.array(z.object({
    feature: z.enum(LINK_RULES.map((rule) => rule.feature) as [FeatureName, ...FeatureName[]]),
    share: z.number(),
    counts: z.boolean(),
  })),
});
const versionSchema = z.object({
  version: z.number().int(),
  status: z.enum(["candidate", "active", "retired"]),
  labeledRows: z.number().int(),
  labeledFraud: z.number().int(),
  metrics: figures,
  trainedBy: z.string(),
  createdAt: z.date(),
  activatedAt: z.date().nullable(),
});

export const modelsRouter = router({
  /** Stored versions, newest first, and the shipped prior that scores while none is active. */
  list: analystProcedure
    .meta({ openapi: { method: "GET", path: "/fraud/models", tags, summary: "Fraud model versions" } })
    .input(z.void())
    .output(z.object({
      versions: z.array(versionSchema),
      prior: z.object({ trainedAt: z.string(), source: z.string(), validation: figures }),
      topFeatures: z.array(feature),
      inForce: z.object({
        version: z.number().int().nullable(),
        trainedAt: z.string(),
        source: z.string(),
        rows: z.number().int(),
        fraud: z.number().int(),
        validationRows: z.number().int(),
        validation: figures,
        curve: z.array(curvePoint),
        topFeatures: z.array(feature),
        operatingPoint: operatingPointSchema.nullable(),
      }),
      labelsSinceTraining: z.number().int(),
      /** "Device of confirmed fraud" in this shop (`confirmed_device.ts`): its devices and its record. */
      confirmedDevices: z.object({
        devices: z.number().int(),
        firings: z.number().int(),
        fraud: z.number().int(),
        counts: z.boolean(),
      }),
    }))
    .query(async ({ ctx }) => {
      const prior = await loadPriorModel();
      const [versions, inForce, newLabels, confirmed] = await Promise.all([
        listModelVersions(ctx.db.sql),
        modelInForce(ctx.db.sql),
        labelsSinceTraining(ctx.db.sql),
        confirmedDevicesNow({ sql: ctx.db.sql, bus: ctx.bus }),
      ]);
      return {
        versions,
        inForce,
        labelsSinceTraining: newLabels,
        confirmedDevices: { devices: confirmed.devices.size, ...confirmed.record, counts: confirmed.counts },
        prior: {
          trainedAt: prior.trainedAt,
          source: prior.training.source,
          validation: prior.training.validation,
        },
        topFeatures: topFeatures(prior),
      };
    }),

  /** Trains a candidate on the labeled history now (the daily job does the same). */
  train: adminProcedure
    .meta({ openapi: { method: "POST", path: "/fraud/models/train", tags, summary: "Train a fraud model" } })
    .input(z.void())
    .output(versionSchema)
    .mutation(async ({ ctx }) => {
      const rules = await activeFraudRules(ctx);
      const trained = await trainShopModel(ctx.db.sql, rules, { trainedBy: ctx.caller.username });
      if (!trained) {
        throw new TRPCError({
          code: "PRECONDITION_FAILED",
          message:
            `Training needs at least ${MIN_LABELED} labeled sales, ${MIN_LABELED_FRAUD} of them fraud; until then the rules and the shipped prior score`,
        });
      }
      await recordAudit(ctx.db.sql, {
        caller: ctx.caller,
        action: "fraud_model.trained",
        entityType: "fraud_model",
        entityId: trained.version,
        details: { status: trained.status },
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      ctx.responseMeta.status = 201;
      return trained;
    }),

  /** Puts a trained version in force. */
  activate: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/fraud/models/{version}/activate",
        tags,
        summary: "Activate a fraud model",
      },
    })
    .input(z.object({ version: z.coerce.number().int().min(1) }))
    .output(versionSchema)
    .mutation(async ({ ctx, input }) => {
      const activated = await activateModelVersion(ctx.db.sql, input.version);
      await recordAudit(ctx.db.sql, {
        caller: ctx.caller,
        action: "fraud_model.activated",
        entityType: "fraud_model",
        entityId: input.version,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return activated;
    }),
});
