import { publishAfterCommit } from "../events/bus.ts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { roleAtLeast, secretUrlShownTo } from "../trpc/roles.ts";
import { checkOutboundUrl, type OutboundAllowlist } from "../outbound/mod.ts";
import { cachedResponse } from "../cache.ts";
import { cursorInput, decodeCursor, limitInput, pageSchema, toPage } from "../db/keyset.ts";
import { analystProcedure, managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import {
  acknowledgeAlert,
  alertEventData,
  alertSeverities,
  alertStatuses,
  deleteAlert,
  getAlert,
  isSystemDedupeKey,
  listAlerts,
  publishAlert,
  raiseAlert,
  resolveAlert,
  snoozeAlert,
  systemDedupeKeyPrefixes,
} from "./alert_queries.ts";
import {
  isScopedMetric,
  ruleComparisons,
  type RuleScopeType,
  ruleScopeTypes,
  scopedMetrics,
} from "./scoped_metrics.ts";
import {
  createRule,
  deleteRule,
  getRule,
  listRules,
  type RuleMetric,
  ruleMetrics,
  type RuleRow,
  updateRule,
} from "./rule_queries.ts";
import { type AuditContext, recordAudit } from "../auth/audit.ts";
import type { TransactionSql } from "../db/mod.ts";

const alertSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  severity: z.enum(alertSeverities),
  status: z.enum(alertStatuses),
  title: z.string(),
  message: z.string(),
  entityType: z.string().nullable(),
  entityId: z.number().int().nullable(),
  dedupeKey: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  snoozedUntil: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  resolutionNote: z.string().nullable(),
});

const ruleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  metric: z.enum(ruleMetrics),
  comparator: z.enum([">", ">=", "<", "<="]),
  threshold: z.number().int(),
  windowMinutes: z.number().int(),
  severity: z.enum(alertSeverities),
  pendingSeconds: z.number().int(),
  cooldownSeconds: z.number().int(),
  enabled: z.boolean(),
  webhookUrl: z.string().nullable()
    .describe("the full URL for managers and admins; below manager only its origin, as `https://host/…`"),
  hasWebhookSecret: z.boolean(),
  scopeType: z.enum(ruleScopeTypes),
  scopeValue: z.string().nullable(),
  compareTo: z.enum(ruleComparisons),
  state: z.enum(["ok", "pending", "firing", "cooldown"]),
  stateSince: z.date().nullable(),
  cooldownUntil: z.date().nullable(),
  alertId: z.number().int().nullable(),
  lastValue: z.number().nullable(),
  lastEvaluatedAt: z.date().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const ruleSettings = {
  name: z.string().trim().min(1).max(120),
  metric: z.enum(ruleMetrics),
  comparator: z.enum([">", ">=", "<", "<="]),
  // a change in percent may be negative ("revenue -40% vs last week")
  threshold: z.number().int().min(-1e15).max(1e15),
  windowMinutes: z.number().int().min(1).max(10_080),
  severity: z.enum(alertSeverities),
  pendingSeconds: z.number().int().min(0).max(86_400),
  cooldownSeconds: z.number().int().min(0).max(604_800),
  enabled: z.boolean({ message: "enabled is true or false" }),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(2_000).nullable(),
  webhookSecret: z.string().min(16).max(200).nullable(),
  scopeType: z.enum(ruleScopeTypes),
  scopeValue: z.string().trim().min(1).max(200).nullable(),
  compareTo: z.enum(ruleComparisons),
};

const idInput = z.object({ id: z.coerce.number().int().min(1) });

/** A scope names its part of the shop; scopes and changes work on the metrics measured per line. */
function checkRuleScope(
  rule: { metric: RuleMetric; scopeType: RuleScopeType; scopeValue: string | null; compareTo: string },
) {
  if ((rule.scopeType === "shop") !== (rule.scopeValue === null)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: rule.scopeType === "shop"
        ? "scopeValue must be empty for the whole shop"
        : `scopeValue must name the ${rule.scopeType.replace("_", " ")}`,
    });
  }
  if ((rule.scopeType !== "shop" || rule.compareTo !== "absolute") && !isScopedMetric(rule.metric)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `${rule.metric} can only be measured shop-wide and absolutely; use one of ${
        scopedMetrics.join(", ")
      }`,
    });
  }
}

/** Refuses a webhook URL the server must not call (internal, odd or with credentials) with a 400. */
function checkWebhookUrl(url: string | null | undefined, allowlist: OutboundAllowlist) {
  if (!url) return;
  const check = checkOutboundUrl(url, allowlist);
  if (!check.ok) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Webhook URL refused. ${check.reason}` });
  }
}

/**
 * A rule as `role` may see it: a webhook URL often is the secret itself (Slack-style hooks), so
 * below manager only its origin shows (`https://hooks.slack.com/…`).
 */
function ruleFor(role: Parameters<typeof roleAtLeast>[0], rule: RuleRow): RuleRow {
  return { ...rule, webhookUrl: secretUrlShownTo(role, rule.webhookUrl) };
}
const sort = "created_desc";

const rulesRouter = router({
  /** Every alert rule with its evaluation state. */
  list: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/alert-rules", tags: ["alerts"], summary: "Alert rules" } })
    .input(z.void())
    .output(z.object({ items: z.array(ruleSchema) }))
    .query(async ({ ctx }) => ({
      items: (await listRules(ctx.db.sql)).map((rule) => ruleFor(ctx.caller.role, rule)),
    })),

  /** Creates a rule: metric over a window compared with a threshold, with pending period and cooldown. */
  create: managerProcedure
    .meta({
      openapi: { method: "POST", path: "/alert-rules", tags: ["alerts"], summary: "Create an alert rule" },
    })
    .input(z.object({
      ...ruleSettings,
      pendingSeconds: ruleSettings.pendingSeconds.default(0),
      cooldownSeconds: ruleSettings.cooldownSeconds.default(900),
      enabled: ruleSettings.enabled.default(true),
      webhookUrl: ruleSettings.webhookUrl.default(null),
      webhookSecret: ruleSettings.webhookSecret.default(null),
      scopeType: ruleSettings.scopeType.default("shop"),
      scopeValue: ruleSettings.scopeValue.default(null),
      compareTo: ruleSettings.compareTo.default("absolute"),
    }))
    .output(ruleSchema)
    .mutation(({ ctx, input }) => {
      checkRuleScope(input);
      checkWebhookUrl(input.webhookUrl, ctx.config.OUTBOUND_ALLOWLIST);
      return ctx.db.sql.begin(async (tx) => {
        const rule = await createRule(tx, input, ctx.caller.username);
        await auditRule(tx, ctx, "alert_rule.created", rule);
        return rule;
      });
    }),

  /** Changes some settings of a rule; changing what it measures restarts its evaluation. */
  update: managerProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/alert-rules/{id}",
        tags: ["alerts"],
        summary: "Edit an alert rule",
      },
    })
    .input(z.object({
      id: z.coerce.number().int().min(1),
      ...Object.fromEntries(
        Object.entries(ruleSettings).map(([key, schema]) => [key, schema.optional()]),
      ) as {
        [K in keyof typeof ruleSettings]: z.ZodOptional<(typeof ruleSettings)[K]>;
      },
    }))
    .output(ruleSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      checkWebhookUrl(changes.webhookUrl, ctx.config.OUTBOUND_ALLOWLIST);
      if (changes.metric || changes.scopeType || changes.compareTo || changes.scopeValue !== undefined) {
        checkRuleScope({ ...(await getRule(ctx.db.sql, id)), ...changes });
      }
      return ctx.db.sql.begin(async (tx) => {
        const rule = await updateRule(tx, id, changes);
        await auditRule(tx, ctx, "alert_rule.updated", rule, { changed: Object.keys(changes) });
        return rule;
      });
    }),

  /** Deletes a rule; alerts it raised stay. */
  delete: managerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/alert-rules/{id}",
        tags: ["alerts"],
        summary: "Delete an alert rule",
      },
    })
    .input(idInput)
    .output(ruleSchema)
    .mutation(({ ctx, input }) =>
      ctx.db.sql.begin(async (tx) => {
        const rule = await deleteRule(tx, input.id);
        await auditRule(tx, ctx, "alert_rule.deleted", rule);
        return rule;
      })
    ),

  /** One rule. */
  get: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/alert-rules/{id}", tags: ["alerts"], summary: "One alert rule" },
    })
    .input(idInput)
    .output(ruleSchema)
    .query(async ({ ctx, input }) => ruleFor(ctx.caller.role, await getRule(ctx.db.sql, input.id))),
});

// A rule's settings without its webhook secret, for the audit log
async function auditRule(
  tx: TransactionSql,
  ctx: AuditContext,
  action: string,
  rule: { id: number; name: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(tx, {
    caller: ctx.caller,
    ip: ctx.ip,
    requestId: ctx.requestId,
    action,
    entityType: "alert_rule",
    entityId: rule.id,
    details: { name: rule.name, ...details },
  });
}

export const alertsRouter = router({
  /** Alerts, newest first, filtered by severity, type and status; keyset pages. */
  list: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/alerts", tags: ["alerts"], summary: "Alerts" } })
    .input(z.object({
      severity: z.enum(alertSeverities).optional(),
      type: z.string().min(1).max(60).optional(),
      status: z.enum(alertStatuses).optional()
        .describe("`open` includes snoozed alerts whose snooze has run out"),
      entityType: z.string().min(1).max(60).optional(),
      entityId: z.coerce.number().int().min(1).optional(),
      cursor: cursorInput,
      limit: limitInput,
    }))
    .output(pageSchema(alertSchema))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filters } = input;
      const after = decodeCursor(cursor, sort, "timestamp");
      const key = JSON.stringify(input);
      return await cachedResponse(ctx, { namespace: "alerts", key, ttlMs: 10_000 }, async () => {
        const rows = await listAlerts(ctx.db.sql, filters, { after, limit });
        return toPage(rows, { limit, sort, keyOf: (row) => [row.createdAt.toISOString(), row.id] });
      });
    }),

  /** One alert. */
  get: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/alerts/{id}", tags: ["alerts"], summary: "One alert" } })
    .input(idInput)
    .output(alertSchema)
    .query(({ ctx, input }) => getAlert(ctx.db.sql, input.id)),

  /**
   * Raises an alert by hand. With a `dedupeKey` that is already unresolved, that alert is updated
   * (`created: false`) rather than a second one added.
   */
  create: analystProcedure
    .meta({ openapi: { method: "POST", path: "/alerts", tags: ["alerts"], summary: "Create an alert" } })
    .input(z.object({
      type: z.string().trim().min(1).max(60).default("custom"),
      severity: z.enum(alertSeverities),
      title: z.string().trim().min(1).max(200),
      message: z.string().max(2_000).default(""),
      entityType: z.string().min(1).max(60).nullable().default(null),
      entityId: z.number().int().min(1).nullable().default(null),
      dedupeKey: z.string().min(1).max(200)
        .refine(
          (key) => !isSystemDedupeKey(key),
          `This dedupe key is reserved for the server's own alerts (keys starting ${
            systemDedupeKeyPrefixes.join(", ")
          }): choose another`,
        )
        .nullable().default(null),
    }))
    .output(z.object({ alert: alertSchema, created: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.sql.begin(async (tx) => {
        const raised = await raiseAlert(tx, { ...input, metadata: { createdBy: ctx.caller.username } });
        await recordAudit(tx, {
          caller: ctx.caller,
          ip: ctx.ip,
          requestId: ctx.requestId,
          action: raised.created ? "alert.created" : "alert.repeated",
          entityType: "alert",
          entityId: raised.alert.id,
          details: { title: raised.alert.title, severity: raised.alert.severity },
        });
        return raised;
      });
      await publishAlert(ctx.bus, result);
      return result;
    }),

  /** Marks an alert as seen by someone who is on it. */
  acknowledge: analystProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/alerts/{id}/acknowledge",
        tags: ["alerts"],
        summary: "Acknowledge",
      },
    })
    .input(idInput)
    .output(alertSchema)
    .mutation(async ({ ctx, input }) => {
      const alert = await acknowledgeAlert(ctx.db.sql, input.id, ctx.caller.username, ctx);
      await publishAfterCommit(ctx, { type: "alert.changed", data: alertEventData(alert) });
      return alert;
    }),

  /** Hides an alert for a while; it shows as open again afterwards. */
  snooze: analystProcedure
    .meta({ openapi: { method: "PATCH", path: "/alerts/{id}/snooze", tags: ["alerts"], summary: "Snooze" } })
    .input(z.object({ id: z.coerce.number().int().min(1), minutes: z.number().int().min(1).max(10_080) }))
    .output(alertSchema)
    .mutation(async ({ ctx, input }) => {
      const until = new Date(Date.now() + input.minutes * 60_000);
      const alert = await snoozeAlert(ctx.db.sql, input.id, until, ctx.caller.username, ctx);
      await publishAfterCommit(ctx, { type: "alert.changed", data: alertEventData(alert) });
      return alert;
    }),

  /** Resolves an alert with a note saying what was done. */
  resolve: managerProcedure
    .meta({
      openapi: { method: "PATCH", path: "/alerts/{id}/resolve", tags: ["alerts"], summary: "Resolve" },
    })
    .input(z.object({ id: z.coerce.number().int().min(1), note: z.string().trim().max(2_000).default("") }))
    .output(alertSchema)
    .mutation(async ({ ctx, input }) => {
      const alert = await resolveAlert(ctx.db.sql, input.id, input.note, ctx.caller.username, ctx);
      await publishAfterCommit(ctx, { type: "alert.changed", data: alertEventData(alert) });
      return alert;
    }),

  /** Deletes an alert for good. */
  delete: managerProcedure
    .meta({
      openapi: { method: "DELETE", path: "/alerts/{id}", tags: ["alerts"], summary: "Delete an alert" },
    })
    .input(idInput)
    .output(z.object({ id: z.number().int(), deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const alert = await deleteAlert(ctx.db.sql, input.id, ctx);
      await publishAfterCommit(ctx, {
        type: "alert.changed",
        data: { ...alertEventData(alert), deleted: true },
      });
      return { id: alert.id, deleted: true as const };
    }),

  rules: rulesRouter,
});
