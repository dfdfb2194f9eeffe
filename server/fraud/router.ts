import { type EventBus, publishAfterCommit } from "../events/bus.ts";
import type { Logger } from "../log.ts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cursorInput, limitInput, pageSchema } from "../db/keyset.ts";
import type { Context } from "../trpc/context.ts";
import { adminProcedure, analystProcedure, router } from "../trpc/init.ts";
import { activeFraudRules, announceRulesChanged } from "./active_rules.ts";
import { backtestRules } from "./backtest.ts";
import {
  type CustomerRef,
  listListedCustomers,
  putCustomerOnList,
  removeCustomerFromLists,
} from "./lists_queries.ts";
import { labeledRuleStats, listReviewQueue } from "./review_queries.ts";
import { fraudRulesSchema } from "./rules.ts";
import {
  activateRuleVersion,
  getActiveRuleVersion,
  getRuleVersion,
  listRuleVersions,
  saveRuleVersion,
} from "./rules_queries.ts";
import { REASON_CODES } from "./types.ts";
import { modelsRouter } from "./model/router.ts";
import { fraudSettingsRouter } from "./model/settings_router.ts";

const tags = ["fraud"];

const versionSummarySchema = z.object({
  version: z.number().int(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.date(),
  isActive: z.boolean(),
  activatedAt: z.date().nullable(),
  activatedBy: z.string().nullable(),
  stored: z.boolean().describe("False for the shipped defaults before the first save"),
});
const versionSchema = versionSummarySchema.extend({ rules: fraudRulesSchema });

/** Candidate rules as an admin sends them: a `version` field, if any, is replaced on save. */
const candidateRulesSchema = fraudRulesSchema.partial({ version: true });

const figuresSchema = z.object({
  reviewThreshold: z.number(),
  blockThreshold: z.number(),
  flagged: z.number().int(),
  truePositives: z.number().int(),
  falsePositives: z.number().int(),
  falseNegatives: z.number().int(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  reviews: z.number().int(),
  blocks: z.number().int(),
});

const backtestSchema = z.object({
  activeVersion: z.number().int(),
  labeled: z.number().int(),
  fraud: z.number().int(),
  replayed: z.number().int(),
  from: z.date().nullable(),
  to: z.date().nullable(),
  active: figuresSchema,
  candidate: figuresSchema,
  changes: z.array(z.object({
    transactionId: z.number().int(),
    label: z.enum(["fraud", "legit"]),
    before: z.number(),
    after: z.number(),
  })),
  withPrior: z.object({
    labeled: z.number().int(),
    fraud: z.number().int(),
    active: figuresSchema,
    candidate: figuresSchema,
  }).nullable(),
});

const reasonSchema = z.object({ code: z.string(), message: z.string(), contribution: z.number() });
const queueItemSchema = z.object({
  id: z.number().int(),
  orderRef: z.string(),
  status: z.string(),
  customerId: z.number().int().nullable(),
  customerName: z.string().nullable(),
  customerList: z.enum(["allow", "block"]).nullable(),
  paymentMethod: z.string(),
  totalCents: z.number().int(),
  itemCount: z.number().int(),
  fraudScore: z.number(),
  fraudDecision: z.enum(["allow", "review", "block"]),
  fraudReasons: z.array(reasonSchema),
  createdAt: z.date(),
});
const queuePageSchema = pageSchema(queueItemSchema).extend({
  total: z.number().int().describe("Unlabeled suspicious transactions in all"),
});

const listNameSchema = z.enum(["allow", "block"]);
const listedSchema = z.object({
  customerId: z.number().int(),
  customerCode: z.string(),
  customerName: z.string(),
  list: listNameSchema,
  reason: z.string(),
  addedBy: z.string(),
  addedAt: z.date(),
});

const ruleStatsSchema = z.object({
  labeled: z.number().int(),
  fraud: z.number().int(),
  legit: z.number().int(),
  rules: z.array(z.object({
    code: z.enum(REASON_CODES as [string, ...string[]]),
    firedOnFraud: z.number().int(),
    firedOnLegit: z.number().int(),
    fraudHitRate: z.number(),
    legitHitRate: z.number(),
    precision: z.number(),
  })),
});

const customerIdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/**
 * A customer by id (a number, as always) or by the code staff see on every page (`CUS-00867`); typed digits
 * are either, whichever customer has them (`findCustomer` refuses digits that are one customer's code and
 * another's id).
 */
const customerRefSchema = z.union([customerIdSchema, z.string().trim().min(1).max(64)])
  .transform((value): CustomerRef => {
    if (typeof value === "number") return { id: value };
    return /^\d+$/.test(value) ? { idOrCode: value } : { code: value };
  })
  .pipe(
    z.union([
      z.object({ id: customerIdSchema }),
      z.object({ code: z.string() }),
      z.object({ idOrCode: z.string() }),
    ]),
  )
  .describe("The customer's id, or the customer code (CUS-00867)");
const versionInput = z.coerce.number().int().min(1).max(1_000_000);

function actorOf(ctx: Context & { caller: NonNullable<Context["caller"]> }) {
  return { caller: ctx.caller, requestId: ctx.requestId, ip: ctx.ip };
}

function storeZone(ctx: Context): { timeZone: string } {
  return { timeZone: ctx.config.STORE_TZ };
}

const rulesRouter = router({
  /** The rules in force (or one version): weights, thresholds, windows and lists. */
  get: analystProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/fraud/rules",
        tags,
        summary: "Fraud rules in force, or one version",
        description:
          "Without `version`, the active rules (the shipped defaults in STORE_TZ until the first save).",
      },
    })
    .input(z.object({ version: versionInput.optional() }))
    .output(versionSchema)
    .query(async ({ ctx, input }) => {
      if (input.version === undefined) return await getActiveRuleVersion(ctx.db.sql, storeZone(ctx));
      const found = await getRuleVersion(ctx.db.sql, input.version, storeZone(ctx));
      if (!found) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No fraud rules version ${input.version}` });
      }
      return found;
    }),

  /** Every saved version, newest first, with who saved it, when and why. */
  versions: analystProcedure
    .meta({
      openapi: { method: "GET", path: "/fraud/rules/versions", tags, summary: "Fraud rules versions" },
    })
    .input(z.object({ limit: limitInput }))
    .output(z.array(versionSummarySchema))
    .query(({ ctx, input }) => listRuleVersions(ctx.db.sql, { ...storeZone(ctx), limit: input.limit })),

  /** Saves the rules as a new version; `activate` puts it in force at once. */
  save: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/fraud/rules",
        tags,
        summary: "Save fraud rules as a new version",
        description: "Every save is a new version. Run `/fraud/rules/backtest` first to see what it changes.",
      },
    })
    .input(z.object({
      rules: candidateRulesSchema,
      note: z.string().trim().min(1, "Say why the rules change").max(500),
      activate: z.boolean({ message: "activate is true or false" }).default(false),
    }))
    .output(versionSchema)
    .mutation(async ({ ctx, input }) => {
      const { version: _ignored, ...rules } = input.rules;
      const saved = await saveRuleVersion(ctx.db.sql, rules, {
        note: input.note,
        activate: input.activate,
        actor: actorOf(ctx),
        ...storeZone(ctx),
      });
      if (saved.isActive) await announceRulesChanged(ctx, saved.version);
      ctx.responseMeta.status = 201;
      return saved;
    }),

  /** Puts a saved version in force (roll forward or back). */
  activate: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/fraud/rules/{version}/activate",
        tags,
        summary: "Activate a fraud rules version",
      },
    })
    .input(z.object({ version: versionInput }))
    .output(versionSchema)
    .mutation(async ({ ctx, input }) => {
      const active = await activateRuleVersion(ctx.db.sql, input.version, {
        actor: actorOf(ctx),
        ...storeZone(ctx),
      });
      await announceRulesChanged(ctx, active.version);
      return active;
    }),

  /**
   * Replays the labeled history through the active rules and a candidate and compares precision, recall
   * and the number of reviews; writes nothing.
   */
  backtest: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/fraud/rules/backtest",
        tags,
        summary: "Backtest candidate fraud rules on the labeled history",
        description: "Precision, recall and reviews of the active rules and of the candidate, side by side.",
      },
    })
    .input(z.object({ rules: candidateRulesSchema }))
    .output(backtestSchema)
    .mutation(async ({ ctx, input }) => {
      const active = await activeFraudRules(ctx);
      const candidate = { ...input.rules, version: input.rules.version ?? active.version };
      const result = await backtestRules(ctx.db.sql, { active, candidate });
      return { activeVersion: active.version, ...result };
    }),
});

/** Tells open Fraud pages that the lists changed; a failed publish never fails the committed change. */
async function publishListsChanged(
  ctx: { bus: EventBus; log: Logger },
  data: { customerId: number; list: "allow" | "block" | null },
): Promise<void> {
  await publishAfterCommit(ctx, { type: "fraud.lists_changed", data: data });
}

const listsRouter = router({
  /** Customers on the allow and block lists, newest first. */
  list: analystProcedure
    .meta({ openapi: { method: "GET", path: "/fraud/lists", tags, summary: "Allow and block lists" } })
    .input(
      z.object({
        list: listNameSchema.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(200),
      }),
    )
    .output(z.array(listedSchema))
    .query(({ ctx, input }) => listListedCustomers(ctx.db.sql, input)),

  /** Puts a customer on the allow or block list (off the other one); audit-logged. */
  put: analystProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/fraud/lists/{customerId}",
        tags,
        summary: "Put a customer on the allow or block list",
        description: "block: orders score with the block-list rule; allow: never blocked automatically.",
      },
    })
    .input(z.object({
      customerId: customerRefSchema,
      list: listNameSchema,
      reason: z.string().trim().max(500).default(""),
    }))
    .output(listedSchema)
    .mutation(async ({ ctx, input }) => {
      const listed = await putCustomerOnList(ctx.db.sql, input.customerId, {
        list: input.list,
        reason: input.reason,
        actor: actorOf(ctx),
      });
      await publishListsChanged(ctx, { customerId: listed.customerId, list: input.list });
      return listed;
    }),

  /** Takes a customer off the lists; audit-logged. */
  remove: analystProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/fraud/lists/{customerId}",
        tags,
        summary: "Take a customer off the lists",
      },
    })
    .input(z.object({ customerId: customerRefSchema }))
    .output(z.object({ customerId: z.number().int(), removedFrom: listNameSchema }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeCustomerFromLists(ctx.db.sql, input.customerId, { actor: actorOf(ctx) });
      await publishListsChanged(ctx, { customerId: removed.customerId, list: null });
      return removed;
    }),
});

export const fraudRouter = router({
  rules: rulesRouter,
  lists: listsRouter,
  models: modelsRouter,
  settings: fraudSettingsRouter,

  /** Unlabeled suspicious transactions, highest score first, with their reasons. */
  queue: analystProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/fraud/queue",
        tags,
        summary: "Review queue",
        description: "Transactions sent to review or blocked that nobody has labeled yet, riskiest first. " +
          "Label them with POST /transactions/{id}/label.",
      },
    })
    .input(
      z.object({ decision: z.enum(["review", "block"]).optional(), limit: limitInput, cursor: cursorInput }),
    )
    .output(queuePageSchema)
    .query(({ ctx, input }) => listReviewQueue(ctx.db.sql, input)),

  /** How often each rule fired on transactions labeled fraud and on those labeled legit. */
  ruleStats: analystProcedure
    .meta({
      openapi: { method: "GET", path: "/fraud/rule-stats", tags, summary: "Per-rule statistics from labels" },
    })
    .input(z.void())
    .output(ruleStatsSchema)
    .query(({ ctx }) => labeledRuleStats(ctx.db.sql)),
});
