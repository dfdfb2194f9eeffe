import { invalidate } from "../cache.ts";
import { loadCustomerActivity, replaceCustomerPatterns } from "./patterns_queries.ts";
import { scoreCustomers, type Segment } from "./patterns_segments.ts";
import type { Services } from "../services.ts";
import type { JobDefinition } from "../domain.ts";

/** What a customer patterns run wrote. */
export interface CustomerPatternsSummary {
  customers: number;
  segments: Partial<Record<Segment, number>>;
}

/**
 * The customer purchase patterns job (every 4 hours): recency, frequency, monetary value, favourite
 * category and average interval per customer, RFM scores and segments, written in one transaction.
 * `customer_segments_mv` aggregates the table at its next refresh.
 */
export async function runCustomerPatterns(
  services: Pick<Services, "db" | "kv" | "log">,
  options: { now?: Date } = {},
): Promise<CustomerPatternsSummary> {
  const now = options.now ?? new Date();
  const summary = await services.db.sql.begin(async (tx) => {
    const activity = await loadCustomerActivity(tx, now);
    const scores = scoreCustomers(activity);
    await replaceCustomerPatterns(tx, activity.map((a, i) => ({ activity: a, score: scores[i] })), now);
    const segments: Partial<Record<Segment, number>> = {};
    for (const score of scores) segments[score.segment] = (segments[score.segment] ?? 0) + 1;
    return { customers: activity.length, segments };
  }) as CustomerPatternsSummary;
  await invalidate(services.kv, ["analytics"]).catch((error) =>
    services.log.warn("cache invalidation after customer patterns failed", { error })
  );
  services.log.info("customer purchase patterns computed", { ...summary });
  return summary;
}

/** The customer patterns job's schedule, declared in this domain's mod.ts. */
export const customerPatternsJob: JobDefinition = {
  name: "customer-patterns",
  schedule: "0 */4 * * *",
  every: "every 4 hours",
  description: "Recomputes each customer's purchase pattern and RFM segment",
  run: async (services) => {
    const summary = await runCustomerPatterns(services);
    return { rows: summary.customers, details: { segments: summary.segments } };
  },
};
