import { z } from "zod";
import { cachedResponse } from "../cache.ts";
import { cursorInput, decodeCursor, limitInput, pageSchema, toPage } from "../http/keyset.ts";
import { analystProcedure, managerProcedure, router, viewerProcedure } from "../trpc/init.ts";
import {
  acknowledgeAlert,
  alertEventData,
  alertSeverities,
  alertStatuses,
  deleteAlert,
  getAlert,
  listAlerts,
  publishAlert,
  raiseAlert,
  resolveAlert,
  snoozeAlert,
} from "./alert_queries.ts";
import { createRule, deleteRule, getRule, listRules, ruleMetrics, updateRule } from "./rule_queries.ts";

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
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
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
  threshold: z.number().int().min(0).max(1e15),
  windowMinutes: z.number().int().min(1).max(10_080),
  severity: z.enum(alertSeverities),
  pendingSeconds: z.number().int().min(0).max(86_400),
  cooldownSeconds: z.number().int().min(0).max(604_800),
  enabled: z.boolean(),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(2_000).nullable(),
  webhookSecret: z.string().min(16).max(200).nullable(),
};

const idInput = z.object({ id: z.coerce.number().int().min(1) });
const sort = "created_desc";

const rulesRouter = router({
  /** Every alert rule with its evaluation state. */
  list: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/alert-rules", tags: ["alerts"], summary: "Alert rules" } })
    .input(z.void())
    .output(z.object({ items: z.array(ruleSchema) }))
    .query(async ({ ctx }) => ({ items: await listRules(ctx.db.sql) })),

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
    }))
    .output(ruleSchema)
    .mutation(({ ctx, input }) => createRule(ctx.db.sql, input, ctx.caller.username)),

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
    .mutation(({ ctx, input }) => {
      const { id, ...changes } = input;
      return updateRule(ctx.db.sql, id, changes);
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
    .mutation(({ ctx, input }) => deleteRule(ctx.db.sql, input.id)),

  /** One rule. */
  get: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/alert-rules/{id}", tags: ["alerts"], summary: "One alert rule" },
    })
    .input(idInput)
    .output(ruleSchema)
    .query(({ ctx, input }) => getRule(ctx.db.sql, input.id)),
});

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
      const after = decodeCursor(cursor, sort);
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
      dedupeKey: z.string().min(1).max(200).nullable().default(null),
    }))
    .output(z.object({ alert: alertSchema, created: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const result = await raiseAlert(ctx.db.sql, { ...input, metadata: { createdBy: ctx.caller.username } });
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
      const alert = await acknowledgeAlert(ctx.db.sql, input.id, ctx.caller.username);
      await ctx.bus.publish("alert.changed", alertEventData(alert));
      return alert;
    }),

  /** Hides an alert for a while; it shows as open again afterwards. */
  snooze: analystProcedure
    .meta({ openapi: { method: "PATCH", path: "/alerts/{id}/snooze", tags: ["alerts"], summary: "Snooze" } })
    .input(z.object({ id: z.coerce.number().int().min(1), minutes: z.number().int().min(1).max(10_080) }))
    .output(alertSchema)
    .mutation(async ({ ctx, input }) => {
      const until = new Date(Date.now() + input.minutes * 60_000);
      const alert = await snoozeAlert(ctx.db.sql, input.id, until, ctx.caller.username);
      await ctx.bus.publish("alert.changed", alertEventData(alert));
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
      const alert = await resolveAlert(ctx.db.sql, input.id, input.note, ctx.caller.username);
      await ctx.bus.publish("alert.changed", alertEventData(alert));
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
      const alert = await deleteAlert(ctx.db.sql, input.id);
      await ctx.bus.publish("alert.changed", { ...alertEventData(alert), deleted: true });
      return { id: alert.id, deleted: true as const };
    }),

  rules: rulesRouter,
});
