import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cursorInput, limitInput, pageSchema, sortedPage } from "../db/keyset.ts";
import { router, viewerProcedure } from "../trpc/init.ts";
import {
  customerCursorKey,
  customerSorts,
  findCustomer,
  listCustomers,
  loyaltyTiers,
} from "./customer_queries.ts";

const customerSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  loyaltyTier: z.enum(loyaltyTiers),
  createdAt: z.date(),
});

const customerDetailSchema = customerSummarySchema.extend({
  stats: z.object({
    orders: z.number().int().describe("Completed transactions"),
    spentCents: z.number().int(),
    averageOrderCents: z.number().int(),
    firstOrderAt: z.date().nullable(),
    lastOrderAt: z.date().nullable(),
    refundedOrders: z.number().int(),
  }),
  segment: z.string().nullable().describe("RFM segment from the last purchase-pattern run"),
  recentTransactions: z.array(z.object({
    id: z.number().int(),
    orderRef: z.string(),
    status: z.string(),
    totalCents: z.number().int(),
    itemCount: z.number().int(),
    fraudScore: z.number().int(),
    createdAt: z.date(),
  })),
});

export const customersRouter = router({
  /** Customers: search, loyalty tier filter, sort, keyset pages. */
  list: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/customers", tags: ["customers"], summary: "Customers" } })
    .input(z.object({
      search: z.string().trim().min(1).max(100).optional().describe("Part of the name, code or email"),
      tier: z.enum(loyaltyTiers).optional(),
      sort: z.enum(customerSorts).default("name"),
      order: z.enum(["asc", "desc"]).default("asc"),
      cursor: cursorInput,
      limit: limitInput,
    }))
    .output(pageSchema(customerSummarySchema))
    .query(({ ctx, input }) =>
      sortedPage(input, {
        fetch: (after) => listCustomers(ctx.db.sql, { ...input, after }),
        keyOf: customerCursorKey,
      })
    ),

  /** One customer with purchase figures and the latest transactions. */
  get: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/customers/{id}",
        tags: ["customers"],
        summary: "A customer and purchases",
      },
    })
    .input(z.object({ id: z.number().int().min(1) }))
    .output(customerDetailSchema)
    .query(async ({ ctx, input }) => {
      const customer = await findCustomer(ctx.db.sql, input.id);
      if (!customer) throw new TRPCError({ code: "NOT_FOUND", message: `No customer with id ${input.id}` });
      return customer;
    }),
});
