import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { roleAtLeast, secretUrlShownTo } from "../trpc/roles.ts";
import { checkOutboundUrl } from "../outbound/mod.ts";
import {
  analystProcedure as analystBase,
  managerProcedure as managerBase,
  middleware,
  publicProcedure,
  router,
  viewerProcedure as viewerBase,
} from "../trpc/init.ts";
import { recordAudit } from "../auth/audit.ts";
import { publishAfterCommit } from "../events/bus.ts";
import type { Context } from "../trpc/context.ts";
import { forgetRoutingSettings } from "./routing_cache.ts";

/**
 * Every change to notification settings is audited under its procedure's name (`notifications.silences.create`,
 * ...), with the id it touched; inputs are not copied, since they hold webhook URLs and addresses. Then
 * `notifications.changed` tells open notification tabs to re-read and every instance to drop its copy
 * of the policies and silences it routes alerts with (a send test changes nothing).
 */
const auditMutations = middleware(async ({ ctx, path, type, next, getRawInput }) => {
  const result = await next();
  if (type !== "mutation" || !result.ok) return result;
  const context = ctx as Context;
  const input = await getRawInput() as { id?: unknown } | undefined;
  const output = (result as { data?: unknown }).data as { id?: unknown } | undefined;
  const id = typeof input?.id === "number" ? input.id : typeof output?.id === "number" ? output.id : null;
  await recordAudit(context.db.sql, {
    caller: context.caller,
    action: path,
    entityType: "notification_settings",
    entityId: id,
    ip: context.ip,
    requestId: context.requestId,
  });
  if (!path.endsWith(".test")) {
    // the next alert this instance routes sees the change; the event tells the other instances
    forgetRoutingSettings(context.bus);
    await publishNotificationsChanged(context, path);
  }
  return result;
});

/** Open notification tabs re-read; a failed publish never fails the committed change. */
function publishNotificationsChanged(ctx: Pick<Context, "bus" | "log">, what: string): Promise<void> {
  return publishAfterCommit(ctx, { type: "notifications.changed", data: { what } });
}

const viewerProcedure = viewerBase.use(auditMutations);
const analystProcedure = analystBase.use(auditMutations);
const managerProcedure = managerBase.use(auditMutations);
import {
  listAllSubscriptions,
  listSubscriptions,
  reportDeliveryHistory,
  subscribe,
  unsubscribeByToken,
  unsubscribeOwn,
} from "./report_delivery.ts";
import {
  type ContactPoint,
  contactPointKinds,
  createContactPoint,
  deleteContactPoint,
  getContactPoint,
  listContactPoints,
  updateContactPoint,
} from "./contact_point_queries.ts";
import { alertDeliveries } from "./dispatch.ts";
import { labelNames, matchersSchema } from "./matchers.ts";
import {
  createPolicy,
  createSilence,
  deletePolicy,
  expireSilence,
  listPolicies,
  listSilences,
  updatePolicy,
} from "./policy_queries.ts";
import { sendToContactPoint } from "./send.ts";
import { dispatchDeps } from "./start_notifications.ts";
import type { Services } from "../services.ts";
import { jsonDateTime } from "../shared/json_date.ts";

const idInput = z.object({ id: z.coerce.number().int().min(1) });

const contactPointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(contactPointKinds),
  url: z.string().nullable()
    .describe(
      "webhook/Slack URL: in full for managers and admins; below manager only its origin, `https://host/…`",
    ),
  hasSecret: z.boolean(),
  recipients: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const contactPointFields = {
  name: z.string().trim().min(1).max(120),
  kind: z.enum(contactPointKinds),
  url: z.url({ protocol: /^https?$/ }).max(2_000).nullable().default(null),
  secret: z.string().min(16).max(200).nullable().default(null),
  recipients: z.array(z.email().max(254)).max(50).default([]),
};

/** Each kind names where it sends: email needs recipients, webhook and Slack a URL. */
function checkContactPointTarget(
  input: { kind: string; url: string | null; recipients: string[] },
  context: z.RefinementCtx,
) {
  if (input.kind === "email" && input.recipients.length === 0) {
    context.addIssue({
      code: "custom",
      path: ["recipients"],
      message: "an email contact point needs recipients",
    });
  }
  if (input.kind !== "email" && !input.url) {
    context.addIssue({ code: "custom", path: ["url"], message: `a ${input.kind} contact point needs a URL` });
  }
}

const contactPointInput = z.object(contactPointFields).superRefine(checkContactPointTarget);

/**
 * A contact point as `role` may see it: a webhook URL is often the secret itself (Slack hooks carry
 * their token in the path), so below manager only its origin shows; the signing secret never does.
 */
function contactPointFor(
  role: Parameters<typeof roleAtLeast>[0],
  point: ContactPoint,
): z.infer<typeof contactPointSchema> {
  const { secret, url, ...rest } = point;
  return { ...rest, url: secretUrlShownTo(role, url), hasSecret: secret !== null };
}

/** Checks a contact point's URL at save time with the outbound guard: 400 with the reason. */
function checkedInput(input: z.infer<typeof contactPointInput>, ctx: { config: Services["config"] }) {
  if (input.kind === "email") return { ...input, url: null, secret: null };
  const check = checkOutboundUrl(input.url ?? "", ctx.config.OUTBOUND_ALLOWLIST);
  if (!check.ok) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Contact point URL refused. ${check.reason}` });
  }
  return { ...input, recipients: [], secret: input.kind === "webhook" ? input.secret : null };
}

const contactPointsRouter = router({
  list: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/contact-points", tags: ["notifications"], summary: "Contact points" },
    })
    .input(z.void())
    .output(z.object({ items: z.array(contactPointSchema) }))
    .query(async ({ ctx }) => ({
      items: (await listContactPoints(ctx.db.sql)).map((point) => contactPointFor(ctx.caller.role, point)),
    })),

  create: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/contact-points",
        tags: ["notifications"],
        summary: "Create a contact point",
      },
    })
    .input(contactPointInput)
    .output(contactPointSchema)
    .mutation(async ({ ctx, input }) =>
      contactPointFor(
        ctx.caller.role,
        await createContactPoint(ctx.db.sql, checkedInput(input, ctx), ctx.caller.username),
      )
    ),

  update: managerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/contact-points/{id}",
        tags: ["notifications"],
        summary: "Edit a contact point",
      },
    })
    .input(
      z.object({
        id: z.coerce.number().int().min(1),
        ...contactPointFields,
        secret: z.string().min(16).max(200).nullable().optional()
          .describe("webhook signing secret; left out, the one stored is kept"),
      }).superRefine(checkContactPointTarget),
    )
    .output(contactPointSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, secret, ...rest } = input;
      const kept = secret === undefined ? (await getContactPoint(ctx.db.sql, id)).secret : secret;
      return contactPointFor(
        ctx.caller.role,
        await updateContactPoint(ctx.db.sql, id, checkedInput({ ...rest, secret: kept }, ctx)),
      );
    }),

  delete: managerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/contact-points/{id}",
        tags: ["notifications"],
        summary: "Delete a contact point",
      },
    })
    .input(idInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deleteContactPoint(ctx.db.sql, input.id);
      return { id: input.id };
    }),

  /** Sends a test notification now, through the outbound guard; the answer says what happened. */
  test: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/contact-points/{id}/test",
        tags: ["notifications"],
        summary: "Send a test notification",
      },
    })
    .input(idInput)
    .output(z.object({ ok: z.boolean(), error: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const point = await getContactPoint(ctx.db.sql, input.id);
      const deps = dispatchDeps(ctx.services);
      const outcome = await sendToContactPoint(point, {
        event: "test",
        groupKey: "test",
        alerts: [],
        alertsUrl: deps.alertsUrl,
      }, deps.send);
      return { ok: outcome.ok, error: outcome.ok ? null : outcome.error };
    }),
});

const muteTimingSchema = z.object({
  days: z.array(z.number().int().min(0).max(6)).max(7).default([]),
  startHour: z.number().int().min(0).max(23),
  endHour: z.number().int().min(0).max(24),
});

const policySchema = z.object({
  id: z.number().int(),
  position: z.number().int(),
  matchers: matchersSchema,
  contactPointId: z.number().int(),
  groupBy: z.array(z.string()),
  groupWaitSeconds: z.number().int(),
  groupIntervalSeconds: z.number().int(),
  repeatIntervalSeconds: z.number().int(),
  continueMatching: z.boolean(),
  muteTimings: z.array(muteTimingSchema),
  isDefault: z.boolean(),
});

const policyInput = z.object({
  position: z.number().int().min(0).max(10_000).default(0),
  matchers: matchersSchema.default([]),
  contactPointId: z.number().int().min(1),
  groupBy: z.array(z.enum(labelNames)).max(labelNames.length).default([]),
  groupWaitSeconds: z.number().int().min(0).max(86_400).default(30),
  groupIntervalSeconds: z.number().int().min(0).max(86_400).default(300),
  repeatIntervalSeconds: z.number().int().min(60).max(604_800).default(14_400),
  continueMatching: z.boolean({ message: "continueMatching is true or false" }).default(false),
  muteTimings: z.array(muteTimingSchema).max(20).default([]),
  isDefault: z.boolean({ message: "isDefault is true or false" }).default(false),
});

const policiesRouter = router({
  list: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/notification-policies",
        tags: ["notifications"],
        summary: "Notification policies",
      },
    })
    .input(z.void())
    .output(z.object({ items: z.array(policySchema) }))
    .query(async ({ ctx }) => ({ items: await listPolicies(ctx.db.sql) })),

  create: managerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/notification-policies",
        tags: ["notifications"],
        summary: "Create a notification policy",
      },
    })
    .input(policyInput)
    .output(policySchema)
    .mutation(({ ctx, input }) => createPolicy(ctx.db.sql, input)),

  update: managerProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/notification-policies/{id}",
        tags: ["notifications"],
        summary: "Edit a notification policy",
      },
    })
    .input(policyInput.extend({ id: z.coerce.number().int().min(1) }))
    .output(policySchema)
    .mutation(({ ctx, input }) => {
      const { id, ...rest } = input;
      return updatePolicy(ctx.db.sql, id, rest);
    }),

  delete: managerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/notification-policies/{id}",
        tags: ["notifications"],
        summary: "Delete a notification policy",
      },
    })
    .input(idInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      await deletePolicy(ctx.db.sql, input.id);
      return { id: input.id };
    }),
});

const silenceSchema = z.object({
  id: z.number().int(),
  matchers: matchersSchema,
  startsAt: z.date(),
  endsAt: z.date(),
  comment: z.string(),
  createdBy: z.string(),
  createdAt: z.date(),
});

const silencesRouter = router({
  /** Silences in force or scheduled; ended ones drop out by themselves. */
  list: viewerProcedure
    .meta({
      openapi: { method: "GET", path: "/silences", tags: ["notifications"], summary: "Active silences" },
    })
    .input(z.void())
    .output(z.object({ items: z.array(silenceSchema) }))
    .query(async ({ ctx }) => ({ items: await listSilences(ctx.db.sql, new Date()) })),

  create: analystProcedure
    .meta({
      openapi: { method: "POST", path: "/silences", tags: ["notifications"], summary: "Create a silence" },
    })
    .input(
      z.object({
        matchers: matchersSchema.min(1, "a silence needs at least one matcher"),
        startsAt: jsonDateTime("startsAt is a time in ISO 8601, e.g. 2026-12-07T10:00:00Z").optional(),
        endsAt: jsonDateTime("endsAt is a time in ISO 8601, e.g. 2026-12-07T18:00:00Z"),
        comment: z.string().trim().min(1, "say why").max(500),
      }).refine((s) => s.endsAt > (s.startsAt ?? new Date()), {
        message: "endsAt must be after startsAt (or now)",
      }),
    )
    .output(silenceSchema)
    .mutation(({ ctx, input }) =>
      createSilence(ctx.db.sql, { ...input, startsAt: input.startsAt ?? new Date() }, ctx.caller.username)
    ),

  expire: analystProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/silences/{id}/expire",
        tags: ["notifications"],
        summary: "End a silence now",
      },
    })
    .input(idInput)
    .output(silenceSchema)
    .mutation(({ ctx, input }) => expireSilence(ctx.db.sql, input.id, new Date())),
});

const subscriptionSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  email: z.string(),
  period: z.enum(["daily", "weekly"]),
  sendHour: z.number().int(),
  createdAt: z.date(),
});

const reportSubscriptionsRouter = router({
  /** The caller's own report subscriptions. */
  list: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/report-subscriptions",
        tags: ["notifications"],
        summary: "My report emails",
      },
    })
    .input(z.void())
    .output(z.object({ items: z.array(subscriptionSchema) }))
    .query(async ({ ctx }) => ({ items: await listSubscriptions(ctx.db.sql, ctx.caller.userId) })),

  /** Subscribes the caller to the daily or weekly sales report at a store-local hour. */
  subscribe: viewerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/report-subscriptions",
        tags: ["notifications"],
        summary: "Subscribe to a report",
      },
    })
    .input(z.object({
      period: z.enum(["daily", "weekly"]),
      email: z.email().max(254),
      sendHour: z.number().int().min(0).max(23).default(7),
    }))
    .output(subscriptionSchema)
    .mutation(async ({ ctx, input }) => {
      const { unsubscribeToken: _token, ...row } = await subscribe(ctx.db.sql, {
        ...input,
        userId: ctx.caller.userId,
      });
      return row;
    }),

  /** Everyone's report subscriptions, ended ones too, with each one's last email (managers). */
  all: managerBase
    .meta({
      openapi: {
        method: "GET",
        path: "/report-subscriptions/all",
        tags: ["notifications"],
        summary: "Everyone's report emails",
      },
    })
    .input(z.void())
    .output(z.object({
      items: z.array(subscriptionSchema.extend({
        username: z.string(),
        unsubscribedAt: z.date().nullable(),
        lastDelivery: z.object({ periodKey: z.string(), status: z.string(), at: z.date() }).nullable(),
      })),
    }))
    .query(async ({ ctx }) => ({ items: await listAllSubscriptions(ctx.db.sql) })),

  /** Ends one of the caller's subscriptions; managers may end anyone's. */
  unsubscribe: viewerProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/report-subscriptions/{id}",
        tags: ["notifications"],
        summary: "Unsubscribe",
      },
    })
    .input(idInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const owner = roleAtLeast(ctx.caller.role, "manager") ? null : ctx.caller.userId;
      await unsubscribeOwn(ctx.db.sql, owner, input.id);
      return { id: input.id };
    }),

  /** The link in every report email: the random token is the proof, no sign-in needed. */
  unsubscribeByToken: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/report-subscriptions/unsubscribe",
        tags: ["notifications"],
        summary: "Unsubscribe by an email's link",
      },
    })
    .input(z.object({ token: z.string().min(20).max(200) }))
    .output(z.object({ unsubscribed: z.literal(true), period: z.enum(["daily", "weekly"]) }))
    .query(async ({ ctx, input }) => {
      const { period } = await unsubscribeByToken(ctx.db.sql, input.token);
      await publishNotificationsChanged(ctx, "notifications.reportSubscriptions.unsubscribeByToken");
      return { unsubscribed: true as const, period };
    }),

  /** The caller's report emails: sent or failed, per report. */
  deliveries: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/report-subscriptions/deliveries",
        tags: ["notifications"],
        summary: "My report email history",
      },
    })
    .input(z.void())
    .output(z.object({
      items: z.array(z.object({
        period: z.enum(["daily", "weekly"]),
        periodKey: z.string(),
        status: z.string(),
        error: z.string().nullable(),
        createdAt: z.date(),
        sentAt: z.date().nullable(),
      })),
    }))
    .query(async ({ ctx }) => ({ items: await reportDeliveryHistory(ctx.db.sql, ctx.caller.userId) })),
});

export const notificationsRouter = router({
  reportSubscriptions: reportSubscriptionsRouter,
  contactPoints: contactPointsRouter,
  policies: policiesRouter,
  silences: silencesRouter,
  /** What happened to the notifications an alert was part of: sent, failed, retrying, held, silenced, muted. */
  deliveries: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/alerts/{id}/notifications",
        tags: ["notifications"],
        summary: "Alert notifications",
      },
    })
    .input(idInput)
    .output(z.object({
      items: z.array(z.object({
        id: z.number().int(),
        contactPoint: z.string(),
        kind: z.string(),
        status: z.string(),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        createdAt: z.date(),
        finishedAt: z.date().nullable(),
        heldUntil: z.date().nullable().describe("set when a mute timing held it: the timing's end"),
        dueAt: z.date().describe("the next try of one retrying, the send of one pending"),
      })),
    }))
    .query(async ({ ctx, input }) => ({ items: await alertDeliveries(ctx.db.sql, input.id) })),
});
