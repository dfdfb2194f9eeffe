import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { setStoreSettings } from "../shared/format.ts";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { serveStatic } from "hono/deno";
import { mountAuthRoutes } from "../http/auth_routes.tsx";
import { databaseUnavailableMessage, isDatabaseUnavailable } from "../db/unavailable.ts";
import { cachedHealth } from "../health/check.ts";
import { limitRequestBody, maxBodyBytes } from "../http/body_limits.ts";
import { bodyAbandoned } from "../http/body_abandoned.ts";
import { corsPolicy } from "../http/cors.ts";
import { mountCsvExport } from "../http/csv_export.ts";
import { mountReportDownloads } from "../http/report_downloads.ts";
import { csrfProtection } from "../http/csrf.ts";
import { rateLimit } from "../http/rate_limit.ts";
import { createRequestContext } from "../http/request_context.ts";
import { requestLogging } from "../http/request_id.ts";
import { peerAddress, trustedClientIp } from "../http/client_ip.ts";
import { hotQueryRoutes, HotReadIndex, mountRestApi } from "../http/rest.ts";
import { createFastLane } from "../http/fast_lane.ts";
import { DirectReads } from "../http/direct_reads.ts";
import { hotWriteRoutes } from "../http/fast_lane_writes.ts";
import type { IslandManifest } from "../islands/build.ts";
import { mountLiveSockets } from "../http/sockets/mod.ts";
import type { SiteDefinition } from "../http/pages/page.ts";
import { mountPages, serveErrorPage, wantsErrorPage } from "../http/pages/router.tsx";
import type { Services } from "../services.ts";
import { appRouter } from "../api/app_router.ts";
import { maxBatchSize } from "../trpc/limits.ts";
import { mountIntegrationFeeds } from "../http/integration_feeds.ts";
import { maxUploadBytes, mountImportUploads, uploadPathPrefix } from "../http/import_uploads.ts";

export { maxBodyBytes };

export interface AppOptions {
  manifest: () => IslandManifest;
  /** pages, layout and error page declared in fresh.config.ts */
  site: SiteDefinition;
  /** filled with the requests being served (id -> "METHOD /path"), for a stop that has to wait */
  inFlight?: Map<string, string>;
}

/** The HTTP application: every route of TechMart, ready for `Deno.serve(app.fetch)`. */
export function createApp(services: Services, options: AppOptions): Hono {
  // every amount and date this process writes (pages, exports, fraud reasons, alerts) uses the shop's settings
  setStoreSettings({
    currency: services.config.STORE_CURRENCY,
    locale: services.config.STORE_LOCALE,
    timeZone: services.config.STORE_TZ,
  });
  const app = new Hono();
  app.use(requestLogging(services.log, options.inFlight));
  app.use(trustedClientIp(services.config.TRUSTED_PROXIES));
  const pageHeaders = secureHeaders(pageSecurityHeaders);
  const apiHeaders = secureHeaders(apiSecurityHeaders);
  app.use((c, next) => isJsonPath(c.req.path) ? apiHeaders(c, next) : pageHeaders(c, next));
  app.use(async (c, next) => {
    c.set("nonce", c.get("secureHeadersNonce") ?? "");
    await next();
  });
  // Limits before work: every path, ahead of every parser (CSRF's form read included). Import files are
  // streamed to the database with their own, larger limit and more time (see upload_routes.ts)
  const timeoutMs = services.config.HTTP_BODY_TIMEOUT_MS;
  const bodyLimit = limitRequestBody({ maxBytes: maxBodyBytes, timeoutMs });
  const uploadLimit = limitRequestBody({ maxBytes: maxUploadBytes, timeoutMs: 10 * 60_000 });
  app.use((c, next) => c.req.path.startsWith(uploadPathPrefix) ? uploadLimit(c, next) : bodyLimit(c, next));
  // The sign-in forms carry a username and a password: anything bigger is not one
  app.use("/login", limitRequestBody({ maxBytes: 16 * 1024, timeoutMs }));
  app.use("/logout", limitRequestBody({ maxBytes: 16 * 1024, timeoutMs }));
  app.use("/api/*", corsPolicy(services.config.CORS_ORIGINS));
  app.use("/trpc/*", corsPolicy(services.config.CORS_ORIGINS));
  app.use(csrfProtection({
    publicUrl: services.config.PUBLIC_URL,
    originOnlyPaths: ["/login", "/api/v1/auth/login"],
    // the only HTML form carrying `_csrf` (sign-out); nowhere else is a body parsed for it
    formPaths: ["/logout"],
  }));
  app.use(rateLimit(services, {
    perCaller: services.config.RATE_LIMIT_PER_MINUTE,
    perAddress: services.config.RATE_LIMIT_PER_MINUTE * 2,
    windowMs: 60_000,
    exempt: ["/static/", "/build/"],
  }));

  app.get("/health", async (c) => {
    const report = await cachedHealth(services);
    c.header("Cache-Control", "no-store");
    return c.json(report, report.status === "down" ? 503 : 200);
  });

  app.use("/static/*", async (c, next) => {
    await next();
    if (c.res.ok) c.header("Cache-Control", "public, max-age=3600");
  });
  app.use("/static/*", serveStatic({ root: "./" }));
  app.use("/build/*", async (c, next) => {
    await next();
    // Names carry a content hash: a changed file gets a new name
    if (c.res.ok) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });
  app.use("/build/*", serveStatic({ root: "./" }));

  mountAuthRoutes(app, services, options);

  // WebSocket upgrades first: `/trpc` would otherwise reach the HTTP handler below
  mountLiveSockets(app, services);

  app.use("/trpc/*", async (c, next) => {
    await next();
    // Answers are per caller and may carry secrets (a new token): never kept by a browser or proxy
    c.header("Cache-Control", "no-store");
  });
  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      maxBatchSize,
      req: c.req.raw,
      router: appRouter,
      createContext: () => createRequestContext(services, c),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          c.get("log").error("procedure failed", { path, error: error.cause ?? error });
        }
      },
    }));

  mountReportDownloads(app, services);
  // Signed by the platform, not by a user: mounted ahead of the REST bridge, which would ask for a token
  mountIntegrationFeeds(app, services);
  mountImportUploads(app, services);
  const hotReads = new HotReadIndex();
  const reads = new DirectReads(appRouter);
  mountRestApi(app, { createContext: (c) => createRequestContext(services, c), hotReads, reads });

  mountCsvExport(app, services);
  mountPages(app, services, options);

  // a person's browser gets error pages in the layout; API clients keep the JSON shape
  const errorPage = (c: Context, status: 404 | 500 | 503, message: string) =>
    serveErrorPage(c, { services, manifest: options.manifest(), site: options.site, status, message });
  app.notFound((c) =>
    wantsErrorPage(c)
      ? errorPage(c, 404, `There is no page at ${c.req.path}. Check the address, or use the menu above.`)
      : c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      c.get("log")?.warn("database unavailable", { error });
      c.header("Retry-After", "5");
      if (wantsErrorPage(c)) return errorPage(c, 503, databaseUnavailableMessage);
      return c.json({ error: { code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage } }, 503);
    }
    if (bodyAbandoned(error)) {
      c.get("log")?.info("request body abandoned by the client", { error: String(error) });
      return c.json({
        error: { code: "BAD_REQUEST", message: "The request's body ended before all of it arrived" },
      }, 400);
    }
    c.get("log")?.error("unhandled error", { error });
    if (wantsErrorPage(c)) {
      return errorPage(
        c,
        500,
        `Something went wrong on our side (request ${c.get("requestId")}). Try again in a moment.`,
      );
    }
    return c.json(
      { error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side" } },
      500,
    );
  });
  // The hottest requests answer ahead of the chain above, with the headers it gives (see fast_lane.ts)
  const fastLane = createFastLane(services, {
    routes: hotQueryRoutes(),
    index: hotReads,
    reads,
    writes: hotWriteRoutes(),
    baseHeaders: chainHeaders(apiHeaders, corsPolicy(services.config.CORS_ORIGINS)),
  });
  const chain = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    // the peer's address is read only by the writes (Deno builds it on each read)
    const fast = fastLane(request, () => peerAddress(env), (handed) => chain(handed, env, executionCtx));
    // a held hit comes back as a Response, which Deno.serve sends without awaiting anything
    if (fast instanceof Response) return fast;
    return fast
      ? fast.then((response) => response ?? chain(request, env, executionCtx))
      : chain(request, env, executionCtx);
  };
  return app;
}

/**
 * The headers the app's middleware puts on a JSON answer to a same-origin request, read once from
 * the same middleware (so the fast lane can never drift from it); without the per-answer ones.
 */
async function chainHeaders(...middleware: MiddlewareHandler[]): Promise<[string, string][]> {
  const probe = new Hono();
  for (const handler of middleware) probe.use(handler);
  probe.get("/api/probe", (c) => c.body(null, 204));
  const response = await probe.request("/api/probe");
  return [...response.headers].filter(([name]) => name !== "content-type" && name !== "content-length");
}

/** The security headers of every page; a per-request nonce lets its own inline scripts run. */
const pageSecurityHeaders: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "same-origin",
};

/**
 * The security headers of the API's answers (JSON, CSV, files): the set OWASP's REST Security Cheat Sheet
 * lists for responses that are never rendered as a document. Such an answer loads nothing and may not be
 * framed (`default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`), is not sniffed into
 * another type, is read only by its own origin without CORS (CORP) and travels only over HTTPS (HSTS). The
 * headers that only a document obeys (COOP, Origin-Agent-Cluster, DNS prefetching) or only retired software
 * reads (IE8's X-Download-Options, Flash's cross-domain policies, the XSS auditor's switch) are left to the
 * pages: each header is work on every answer (a wrk run of a bare 401 with this set against the pages' set:
 * 44,000-45,600 against 37,700-38,500 answers a second), and the API answers most requests.
 */
const apiSecurityHeaders: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: "no-referrer",
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: "DENY",
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** The API's paths: they answer JSON (or files), never a page. */
function isJsonPath(path: string): boolean {
  return path.startsWith("/api/") || path.startsWith("/trpc/");
}
