/**
 * THE list of domains: each folder's `mod.ts` declares what it contributes (router namespaces, jobs,
 * events, CSV downloads, pages) and everything that serves them collects from here: the app router, the job
 * schedule and the jobs router, the CSV exports' names, the page table in fresh.config.ts. A new domain is
 * its folder and one line below. `domains_test.ts` checks the list is complete and each part is served.
 */
import type { AnyRouter } from "@trpc/server";
import type {
  AppContributions,
  Domain,
  JobDefinition,
  PageDeclaration,
  RouterNamespaces,
} from "../domain.ts";
import type { AppEventType } from "../events/app_events.ts";
import { mergeRouters } from "../trpc/init.ts";
import { alertsDomain } from "../alerts/mod.ts";
import { analyticsDomain } from "../analytics/mod.ts";
import { authDomain } from "../auth/mod.ts";
import { customersDomain } from "../customers/mod.ts";
import { dashboardDomain } from "../dashboard/mod.ts";
import { fraudDomain } from "../fraud/mod.ts";
import { healthDomain } from "../health/mod.ts";
import { importDomain } from "../import/mod.ts";
import { integrationsDomain } from "../integrations/mod.ts";
import { inventoryDomain } from "../inventory/mod.ts";
import { liveDomain } from "../live/mod.ts";
import { notificationsDomain } from "../notifications/mod.ts";
import { productsDomain } from "../products/mod.ts";
import { reportsDomain } from "../reports/mod.ts";
import { settingsDomain } from "../settings/mod.ts";
import { suppliersDomain } from "../suppliers/mod.ts";
import { transactionsDomain } from "../transactions/mod.ts";
import { jobsDomain } from "../../jobs/mod.ts";

// The order is the app router's namespace order (and so the OpenAPI document's)
export const domains = [
  dashboardDomain,
  analyticsDomain,
  alertsDomain,
  notificationsDomain,
  healthDomain,
  inventoryDomain,
  productsDomain,
  suppliersDomain,
  customersDomain,
  transactionsDomain,
  fraudDomain,
  jobsDomain,
  reportsDomain,
  liveDomain,
  authDomain,
  settingsDomain,
  integrationsDomain,
  importDomain,
] as const;

type Declared = (typeof domains)[number];

/**
 * The order of the jobs on Admin › Jobs and in `jobs.list`: the order they had when jobs/ declared them all
 * (each domain now declares its own in its mod.ts, and the domain list's order is the router's). A job not
 * named here follows these, in list order.
 */
const JOB_ORDER: readonly string[] = [
  "refresh-views",
  "customer-patterns",
  "inventory-predictions",
  "reorder-suggestions",
  "stock-alerts",
  "daily-sales-report",
  "slow-queries",
  "fraud-model-training",
];

function listPlace(job: JobDefinition): number {
  const place = JOB_ORDER.indexOf(job.name);
  return place < 0 ? JOB_ORDER.length : place;
}

/** Every domain's jobs, in `JOB_ORDER` (the sort is stable: unnamed jobs keep list order). */
export const domainJobs: readonly JobDefinition[] = domains
  .flatMap((d: Domain) => d.jobs ?? [])
  .sort((a, b) => listPlace(a) - listPlace(b));

/** The job with this name, from any domain, or undefined. */
export function findJob(name: string): JobDefinition | undefined {
  return domainJobs.find((job) => job.name === name);
}

/** Every domain's pages (fresh.config.ts binds each to its route file). */
export const domainPages: readonly PageDeclaration[] = domains.flatMap((d: Domain) => d.pages ?? []);

/** Every event a domain says it publishes. */
export const domainEvents: readonly AppEventType[] = domains.flatMap((d: Domain) => d.events ?? []);

/** Every CSV download's name (`/export/<name>.csv`). */
export const domainExports: readonly string[] = domains.flatMap((d: Domain) => d.exports ?? []);

// The app router's namespaces, typed exactly: each domain's own namespaces, with the procedures other
// domains add merged in (one router per namespace, as mergeRouters builds it)
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I
  : never;
type RoutersOf<D> = D extends Domain<infer R, RouterNamespaces> ? R : never;
type AddsOf<D> = D extends { adds?: infer A } ? NonNullable<A> : never;
type Owned = UnionToIntersection<RoutersOf<Declared>>;
type Added = UnionToIntersection<AddsOf<Declared>>;
function merged<A extends AnyRouter, B extends AnyRouter>(owned: A, added: B) {
  return mergeRouters(owned, added);
}
type Served<O, A> = {
  [K in keyof O]: K extends keyof A
    ? O[K] extends AnyRouter ? A[K] extends AnyRouter ? ReturnType<typeof merged<O[K], A[K]>>
      : never
    : never
    : O[K];
};
export type DomainRouters = Served<Owned, Added>;

/**
 * The router namespaces of every domain, in list order. Two domains owning one namespace, or a domain adding
 * to a namespace nobody owns, is a mistake in the list and stops start-up.
 */
function collectRouters(): DomainRouters {
  const all: AppContributions = { jobs: domainJobs };
  const namespaces: Record<string, AnyRouter> = {};
  for (const domain of domains as readonly Domain[]) {
    const owned = typeof domain.routers === "function" ? domain.routers(all) : domain.routers;
    for (const [name, router] of Object.entries(owned)) {
      if (name in namespaces) throw new Error(`Two domains serve the router namespace "${name}"`);
      namespaces[name] = router;
    }
  }
  for (const domain of domains as readonly Domain[]) {
    for (const [name, router] of Object.entries(domain.adds ?? {})) {
      if (!(name in namespaces)) {
        throw new Error(`The ${domain.folder} domain adds to "${name}", which no domain serves`);
      }
      namespaces[name] = mergeRouters(namespaces[name], router);
    }
  }
  return namespaces as DomainRouters;
}

export const domainRouters: DomainRouters = collectRouters();
