import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { serveStatic } from "hono/deno";
import { mountAuthRoutes } from "./auth/http_routes.tsx";
import { databaseUnavailableMessage, isDatabaseUnavailable } from "./db/unavailable.ts";
import { checkHealth } from "./health/check.ts";
import { corsPolicy } from "./http/cors.ts";
import { mountCsvExport } from "./http/csv_export.ts";
import { mountReportDownloads } from "./jobs/http_routes.ts";
import { csrfProtection } from "./http/csrf.ts";
import { rateLimit } from "./http/rate_limit.ts";
import { createRequestContext } from "./http/request_context.ts";
import { requestLogging } from "./http/request_id.ts";
import { mountRestApi } from "./http/rest.ts";
import type { IslandManifest } from "./islands/build.ts";
import { mountLiveSockets } from "./live/mod.ts";
import { mountPages } from "./pages/router.tsx";
import type { Services } from "./services.ts";
import { appRouter } from "./trpc/app_router.ts";

/** Largest request body accepted by the API; bigger ones get 413 before they are read. */
export const maxBodyBytes = 1024 * 1024;

export interface AppOptions {
  manifest: () => IslandManifest;
  /** filled with the requests being served (id -> "METHOD /path"), for a stop that has to wait */
  inFlight?: Map<string, string>;
}

/** The HTTP application: every route of TechMart, ready for `Deno.serve(app.fetch)`. */
export function createApp(services: Services, options: AppOptions): Hono {
  const app = new Hono();
  app.use(requestLogging(services.log, options.inFlight));
  app.use(secureHeaders({
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
  }));
  app.use(async (c, next) => {
    c.set("nonce", c.get("secureHeadersNonce") ?? "");
    await next();
  });
  app.use("/trpc/*", limitBody(maxBodyBytes));
  app.use("/api/*", limitBody(maxBodyBytes));
  // The sign-in forms carry a username and a password: anything bigger is not one
  app.use("/login", limitBody(16 * 1024));
  app.use("/logout", limitBody(16 * 1024));
  app.use("/api/*", corsPolicy(services.config.CORS_ORIGINS));
  app.use("/trpc/*", corsPolicy(services.config.CORS_ORIGINS));
  app.use(csrfProtection({
    publicUrl: services.config.PUBLIC_URL,
    originOnlyPaths: ["/login", "/api/v1/auth/login"],
  }));
  app.use(rateLimit(services, {
    perCaller: services.config.RATE_LIMIT_PER_MINUTE,
    perAddress: services.config.RATE_LIMIT_PER_MINUTE * 2,
    windowMs: 60_000,
    exempt: ["/static/", "/build/", "/health"],
  }));

  app.get("/health", async (c) => {
    const report = await checkHealth(services);
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

  mountAuthRoutes(app, services, options.manifest);

  // WebSocket upgrades first: `/trpc` would otherwise reach the HTTP handler below
  mountLiveSockets(app, services);

  app.all("/trpc/*", (c) =>
    fetchRequestHandler({
      endpoint: "/trpc",
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
  mountRestApi(app, { createContext: (c) => createRequestContext(services, c) });

  mountCsvExport(app, services);
  mountPages(app, services, options.manifest);

  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
  );
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      c.get("log")?.warn("database unavailable", { error });
      c.header("Retry-After", "5");
      return c.json({ error: { code: "SERVICE_UNAVAILABLE", message: databaseUnavailableMessage } }, 503);
    }
    c.get("log")?.error("unhandled error", { error });
    return c.json(
      { error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side" } },
      500,
    );
  });
  return app;
}

/** Refuses bodies over `maxSize` bytes with 413 before reading them. */
function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        { error: { code: "PAYLOAD_TOO_LARGE", message: `Request body is larger than ${maxSize} bytes` } },
        413,
      ),
  });
}
