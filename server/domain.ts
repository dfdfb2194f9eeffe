/**
 * What a domain contributes to the app, declared once in its folder's `mod.ts` and collected from one list
 * (`server/api/domains.ts`): the router namespaces it serves, live subscriptions it adds to other namespaces,
 * its background jobs, the events it publishes, its CSV downloads and its pages. It sits on the base floor so
 * every domain can declare itself without importing anything above it; pages are declared as data (path and
 * route file name) and `fresh.config.ts` binds the route files, which sit on the pages floor.
 */
import type { AnyRouter } from "@trpc/server";
import type { AppEventType } from "./events/app_events.ts";
import type { Services } from "./services.ts";

/** What a job needs: the app's long-lived parts (tests pass their own). */
export type JobServices = Pick<Services, "config" | "db" | "kv" | "bus" | "log">;

/** What one run of a job reports back: rows it touched, and anything worth showing on the jobs page. */
export interface JobResult {
  rows: number;
  details?: Record<string, unknown>;
}

/** One scheduled job: its name, cron schedule (UTC, as Deno.cron reads it) and the work. */
export interface JobDefinition {
  /** kebab-case, unique: the Deno.cron name and the `job` column of job_runs */
  name: string;
  /** five-field cron expression in UTC */
  schedule: string;
  /** what the schedule means to a person, e.g. "every 5 minutes" */
  every: string;
  description: string;
  run(services: JobServices, context: JobContext): Promise<JobResult>;
  /** attempts per slot before giving up and raising an alert (default 3) */
  attempts?: number;
  /** a run still "running" after this long is presumed dead and no longer blocks new slots */
  timeoutMs?: number;
}

export interface JobContext {
  slot: Date;
  attempt: number;
  now: Date;
}

/** A page a domain owns: its URL pattern (Hono syntax) and the `routes/` file that draws it. */
export interface PageDeclaration {
  path: string;
  /** the route file's path under `routes/` without `.tsx`, e.g. "alerts" or "admin/jobs" */
  route: string;
}

/** What every domain's contribution together holds, for the routers that serve it (the jobs router). */
export interface AppContributions {
  jobs: readonly JobDefinition[];
}

/** Router namespaces by name, as they appear in the app router (`alerts`, `purchaseOrders`, ...). */
export type RouterNamespaces = Record<string, AnyRouter>;

/** One domain's contribution. */
export interface Domain<
  Routers extends RouterNamespaces = RouterNamespaces,
  Adds extends RouterNamespaces = RouterNamespaces,
> {
  /** its folder: `server/<folder>/`, or `jobs/` for the jobs domain */
  folder: string;
  /**
   * The app router's namespaces it serves. A function when its router serves what all domains declare
   * (the jobs router lists and runs every domain's jobs).
   */
  routers: Routers | ((all: AppContributions) => Routers);
  /** Procedures it adds to namespaces other domains own (the live subscriptions: `dashboard.onMetrics`). */
  adds?: Adds;
  /** its background jobs */
  jobs?: readonly JobDefinition[];
  /** the bus events it publishes (their data shapes are `AppEvents`' in `server/events/app_events.ts`) */
  events?: readonly AppEventType[];
  /** its CSV downloads, by the name in `/export/<name>.csv` (their readers: `server/http/csv_export.ts`) */
  exports?: readonly string[];
  /** its pages */
  pages?: readonly PageDeclaration[];
}

/** Declares a domain's contribution, keeping its router namespaces' exact types for `AppRouter`. */
export function defineDomain<
  const Routers extends RouterNamespaces,
  const Adds extends RouterNamespaces = Record<never, AnyRouter>,
>(domain: Domain<Routers, Adds>): Domain<Routers, Adds> {
  return domain;
}
