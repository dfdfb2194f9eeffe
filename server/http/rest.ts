import type { Context as HonoContext, Hono } from "hono";
import { getAbsoluteFSPath } from "swagger-ui-dist";
import { TRPCError } from "@trpc/server";
import {
  createOpenApiNodeHttpHandler,
  generateOpenApiDocument,
  type OpenAPIObject,
  type OpenApiRouter,
} from "trpc-to-openapi";
import { appRouter } from "../api/app_router.ts";
import type { Context } from "../trpc/context.ts";
import type { Meta } from "../trpc/init.ts";
import { errorBody } from "./error_body.ts";
import { errorAnswer, type ErrorRequest, procedureErrorResponse, type RawError } from "./error_answers.ts";
import { type DirectRead, directReadInput, DirectReads } from "./direct_reads.ts";
import { keepJsonBodyTypes } from "./json_body_types.ts";
import { answerDirectRead, matchesEtag, revalidateOnly } from "./direct_read_answer.ts";
import type { Role } from "../trpc/roles.ts";
import type { CacheEntry, CacheNamespace } from "../cache.ts";
// for the typed request variables (requestId, log) it declares on Hono's context
import type {} from "./request_id.ts";

/** Where the REST face of the procedures lives; the reference's clients use these paths. */
export const restPrefix = "/api/v1";

export interface RestApiOptions {
  /** The tRPC context of the request: the same function `/trpc` uses. */
  createContext(c: HonoContext): Promise<Context>;
  /** The procedures to serve; the app's router unless a test brings its own. */
  router?: OpenApiRouter;
  /** told which cache entry answered each hot read, so the fast lane can answer the next hit alone */
  hotReads?: HotReadIndex;
  /**
   * The GET procedures called directly (the fast lane shares them); built from the router when not given;
   * false: every request goes through trpc-to-openapi's handler (the contract test's reference)
   */
  reads?: DirectReads | false;
}

/** Mounts `/api/v1/*` (the procedures as REST), `/api/v1/openapi.json` and the `/docs` page. */
export function mountRestApi(app: Hono, options: RestApiOptions): void {
  const router = options.router ?? appRouter;
  keepJsonBodyTypes(router);
  app.get(`${restPrefix}/openapi.json`, (c) => {
    c.header("Cache-Control", "public, max-age=300");
    c.header("Content-Type", "application/json; charset=utf-8");
    return c.body(openApiJson(router));
  });
  app.get("/docs", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.html(docsPage);
  });
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const asset = await readDocsAsset(file);
    if (!asset) {
      return c.json(errorBody(404, "NOT_FOUND", `No docs asset "${file}"`, c.get("requestId")), 404);
    }
    c.header("Content-Type", asset.type);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(asset.body);
  });
  const handler = createRestHandler(router, options);
  const reads = options.reads === false ? undefined : options.reads ?? new DirectReads(router);
  const hot = new Set([...hotQueryRoutes(router).values()].map((route) => route.path));
  app.all(`${restPrefix}/*`, (c) => {
    if (reads && c.req.method === "GET") {
      const target = pathAndQuery(c.req.url);
      const at = target.indexOf("?");
      const pathname = at < 0 ? target : target.slice(0, at);
      const found = reads.match(pathname.slice(restPrefix.length) || "/");
      if (found) {
        const input = directReadInput(found.read, at < 0 ? "" : target.slice(at), found.pathInput);
        if (input !== false) return serveDirectRead(c, found.read, input, options, hot.has(found.read.path));
      }
    }
    return handleRestRequest(c, handler);
  });
}

/**
 * The reads every dashboard polls, which the fast lane (fast_lane.ts) answers alone from the cache entry
 * a URL was last answered with: their output is the same for every caller allowed to make them (their
 * cache keys name no caller), so their entries keep their bytes.
 */
const hotQueries: { path: string }[] = [
  { path: "dashboard.overview" },
  { path: "dashboard.realtimeMetrics" },
];

export interface HotRoute {
  path: string;
  /** false for a public procedure; otherwise a caller is needed before anything runs */
  needsCaller: boolean;
  /** the least role the procedure allows (undefined: only its own middlewares know) */
  minRole?: Role | "public";
}

/** REST path (below /api/v1) -> hot procedure, for those of `hotQueries` the router serves as plain GETs. */
export function hotQueryRoutes(router: OpenApiRouter = appRouter): Map<string, HotRoute> {
  const procedures = router._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  const routes = new Map<string, HotRoute>();
  for (const hot of hotQueries) {
    const openapi = procedures[hot.path]?._def.meta?.openapi;
    const meta = procedures[hot.path]?._def.meta;
    if (openapi?.method === "GET" && !openapi.path.includes("{")) {
      routes.set(openapi.path, { ...hot, needsCaller: meta?.minRole !== "public", minRole: meta?.minRole });
    }
  }
  return routes;
}

/**
 * Which cache entry (namespace and key) answered a hot read at a given URL (path and query): learnt
 * from the procedure itself each time it answers through the REST edge, so the fast lane never
 * derives a cache key on its own. Hot reads are the same for every caller allowed to make them
 * (their keys name no caller), so the URL is enough.
 */
export class HotReadIndex {
  #entries = new Map<string, { namespace: CacheNamespace; key: string }>();

  learn(url: string, entry: CacheEntry<unknown>): void {
    const known = this.#entries.get(url);
    if (known?.namespace === entry.namespace && known.key === entry.key) return;
    // query strings come from callers: bounded, like every per-instance table they can grow
    if (this.#entries.size >= 1_000) this.#entries.clear();
    this.#entries.set(url, { namespace: entry.namespace, key: entry.key });
  }

  find(url: string): { namespace: CacheNamespace; key: string } | undefined {
    return this.#entries.get(url);
  }
}

/** The part of a request URL a hot read is known by: its path and query. */
export function pathAndQuery(url: string): string {
  return url.slice(url.indexOf("/", url.indexOf("//") + 2));
}

/** A GET procedure called directly, inside the chain (a cookie, an Origin, rate limits on: see fast_lane.ts). */
async function serveDirectRead(
  c: HonoContext,
  read: DirectRead,
  input: Record<string, unknown> | undefined,
  options: RestApiOptions,
  hot: boolean,
): Promise<Response> {
  let ctx: Context;
  try {
    ctx = await options.createContext(c);
  } catch (cause) {
    return procedureErrorResponse(requestOf(c), cause, read.path, c.get("log"), [[
      "Cache-Control",
      "no-store",
    ]]);
  }
  const url = c.req.url;
  return answerDirectRead({
    router: options.router ?? appRouter,
    read,
    input,
    ctx,
    request: requestOf(c),
    ifNoneMatch: c.req.header("If-None-Match"),
    headers: [],
    hot: hot ? { learn: (entry) => options.hotReads?.learn(pathAndQuery(url), entry) } : undefined,
  });
}

/** trpc-to-openapi's Node-style handler, as our bridge calls it. */
type NodeStyleHandler = (req: Request, res: ResponseSink) => Promise<void>;

interface ResponseSink {
  statusCode: number;
  setHeader(key: string, value: string | string[]): void;
  end(body?: string): void;
}

// The Hono context of each request in flight, for the handler's createContext and onError
const honoContexts = new WeakMap<Request, HonoContext>();

/**
 * Builds trpc-to-openapi's handler once per mount. Its own `createOpenApiFetchHandler` builds a
 * new one per request, and outside NODE_ENV=production each build generates the whole OpenAPI
 * document to validate the router: about 120 ms per request with our router.
 */
function createRestHandler(router: OpenApiRouter, options: RestApiOptions): NodeStyleHandler {
  return createOpenApiNodeHttpHandler({
    router,
    createContext: ({ req }: { req: unknown }) => options.createContext(honoContexts.get(req as Request)!),
    responseMeta({ ctx, paths, errors }) {
      const meta = (ctx as Context | undefined)?.responseMeta;
      const headers: Record<string, string> = { "Cache-Control": "no-store" };
      if (meta?.cache) headers["X-Cache"] = meta.cache;
      if (errors.length > 0) return { headers };
      if (meta?.cacheEntry) {
        headers["Cache-Control"] = revalidateOnly;
        headers.ETag = meta.cacheEntry.etag;
      }
      const path = paths?.[0];
      const status = meta?.status ?? (path && createProcedures(router).has(path) ? 201 : 200);
      return { status, headers };
    },
    onError({ error, path, req }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        const log = honoContexts.get(req as unknown as Request)?.get("log");
        log?.error("procedure failed", { path, via: "rest", error: error.cause ?? error });
      }
    },
  }) as unknown as NodeStyleHandler;
}

async function handleRestRequest(c: HonoContext, handler: NodeStyleHandler): Promise<Response> {
  const url = new URL(c.req.url);
  url.pathname = url.pathname.slice(restPrefix.length) || "/";
  // trpc-to-openapi collects the query into a plain object: `?toString=` would reach Object.prototype
  // and fail as a 500; no parameter of ours has such a name
  const reserved = [...url.searchParams.keys()].find((key) => key in Object.prototype);
  if (reserved !== undefined) {
    return c.json(
      errorBody(400, "BAD_REQUEST", `Unknown query parameter "${reserved}"`, c.get("requestId")),
      400,
    );
  }
  const request = await parsedRequest(await withEmptyBodyAsJson(c.req.raw), url.toString());
  honoContexts.set(request, c);
  const response = await new Promise<Response>((resolve, reject) => {
    const headers = new Headers();
    let status = 200;
    const sink: ResponseSink = {
      get statusCode() {
        return status;
      },
      set statusCode(code) {
        status = code;
      },
      setHeader(key, value) {
        if (typeof value === "string") headers.set(key, value);
        else for (const item of value) headers.append(key, item);
      },
      end(body) {
        resolve(new Response(body, { status, headers }));
      },
    };
    handler(request, sink).catch(reject);
  });
  const etag = response.headers.get("ETag");
  if (response.status === 200 && etag && matchesEtag(c.req.header("If-None-Match"), etag)) {
    return new Response(null, { status: 304, headers: response.headers });
  }
  if (response.status < 400) return response;
  return normaliseError(c, response);
}

/**
 * The request as trpc-to-openapi's Node handler reads it: `url` relative to /api/v1 and `body`
 * already parsed (the same bridge its fetch adapter makes). Unparseable JSON surfaces as
 * PARSE_ERROR when the handler reads the body, which we answer as 400.
 */
async function parsedRequest(request: Request, url: string): Promise<Request> {
  let body: { valid: true; data: unknown } | { valid: false; cause: unknown };
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) body = { valid: true, data: JSON.parse(await request.text()) };
    else if (type.includes("application/x-www-form-urlencoded")) {
      const params = new URLSearchParams(await request.text());
      body = {
        valid: true,
        data: Object.fromEntries([...params.keys()].map((key) => [key, params.getAll(key)])),
      };
    } else body = { valid: true, data: request.body };
  } catch (cause) {
    body = { valid: false, cause };
  }
  return new Proxy(request, {
    get(target, property) {
      if (property === "url") return url;
      // trpc-to-openapi puts the request's signal in the `info` it hands to createContext and responseMeta,
      // which read neither; reading a served request's signal costs every request a signal of its own and
      // made Deno 2.9 warn that it aborts after successful answers (legacy behaviour). None is given.
      if (property === "signal") return undefined;
      if (property === "body") {
        if (!body.valid) {
          throw new TRPCError({
            code: "PARSE_ERROR",
            message: "Failed to parse request body",
            cause: body.cause,
          });
        }
        return body.data;
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * `curl -X POST .../approve` sends no body and no content type; trpc-to-openapi would answer 415.
 * An empty body means "no fields", so it is passed on as `{}`; a non-empty one keeps its type.
 */
async function withEmptyBodyAsJson(request: Request): Promise<Request> {
  if (request.method === "GET" || request.method === "DELETE" || request.method === "HEAD") return request;
  if (request.headers.has("content-type")) return request;
  const body = await request.arrayBuffer();
  const headers = new Headers(request.headers);
  if (body.byteLength === 0) headers.set("content-type", "application/json");
  return new Request(request.url, {
    method: request.method,
    headers,
    body: body.byteLength === 0 ? "{}" : body,
  });
}

async function normaliseError(c: HonoContext, response: Response): Promise<Response> {
  let raw: RawError = {};
  try {
    raw = await response.json();
  } catch {
    // an unreadable error body still gets the documented shape below
  }
  return errorResponse(c, response.status, raw, new Headers(response.headers));
}

/** The documented error body for a raw trpc-to-openapi-style error, with the request id. */
function errorResponse(c: HonoContext, status: number, raw: RawError, headers: Headers): Response {
  return errorAnswer(requestOf(c), status, raw, headers);
}

function requestOf(c: HonoContext): ErrorRequest {
  return { method: c.req.method, url: c.req.url, requestId: c.get("requestId") };
}

const createPaths = new WeakMap<OpenApiRouter, Set<string>>();

/** Procedures that create something (a POST named `create`): they answer 201 Created. */
function createProcedures(router: OpenApiRouter): Set<string> {
  let paths = createPaths.get(router);
  if (paths) return paths;
  paths = new Set(
    Object.entries(router._def.procedures as unknown as Record<string, { _def: { meta?: unknown } }>)
      .filter(([path, procedure]) => {
        const meta = procedure._def.meta as { openapi?: { method?: string } } | undefined;
        return meta?.openapi?.method === "POST" && path.split(".").at(-1) === "create";
      })
      .map(([path]) => path),
  );
  createPaths.set(router, paths);
  return paths;
}

const apiDescription = `
The TechMart Analytics API. Every operation here is also a tRPC procedure at \`/trpc\` (the typed
client in \`client/mod.ts\` uses that); both run the same code with the same checks.

**Authentication.** Send an API token as \`Authorization: Bearer <token>\` (an admin creates tokens),
or the session cookie of a signed-in browser. Roles, least to most: viewer (dashboards, analytics,
lists), analyst (+ exports, alerts, fraud labels), manager (+ transactions, reorders, products),
admin (+ users, tokens, jobs).

**Errors.** Every error is \`{"error": {"code", "message", "issues"?, "requestId"?}}\` (the request id is
also the \`X-Request-Id\` header of every answer; a 401's body leaves it out, so it is the same for everyone): invalid input is
400 with \`issues\` naming each field's path and reason (a body that is not JSON is 400 too),
401 without credentials, 403 when the role is too low, 404 when a thing does not exist, 409 on a
conflict (insufficient stock, a reused idempotency key with another body, refunding twice),
429 when rate-limited (see \`Retry-After\`).

**Lists** answer \`{"items": [...], "nextCursor": "..." | null}\`; pass \`cursor=<nextCursor>\` for the
next page. Cursors are opaque; a changed one is a 400.

**Caching.** Cached reads answer \`X-Cache: hit\` or \`miss\`; writes invalidate what they change.
Creates answer 201. Money is integer cents, times are ISO 8601 in UTC.

**Live updates (WebSocket).** \`GET /api/v1/ws/dashboard?channels=metrics,transactions,alerts,inventory,jobs\`
upgrades to a WebSocket (same authentication: bearer token in the \`Authorization\` header, or the
session cookie; browsers may pass \`?token=\`). The server sends one JSON message per event,
\`{"channel", "id", "type", "at", "data"}\`: \`metrics\` carries today's figures when they move,
\`transactions\` new sales, \`alerts\` raised and changed alerts, \`inventory\` stock changes,
\`jobs\` background job runs; \`channels\` narrows what is sent. Reconnect with
\`?lastEventId=<id>\` to receive what was missed. The reference's \`user_id\` parameter is
accepted and ignored (the caller comes from authentication).
tRPC clients subscribe over \`/trpc\` instead.
`.trim();

const documents = new WeakMap<OpenApiRouter, string>();

/** The OpenAPI 3.1 document of `/api/v1`, generated from the procedures once and then kept. */
export function openApiDocument(router: OpenApiRouter = appRouter): OpenAPIObject {
  return JSON.parse(openApiJson(router));
}

function openApiJson(router: OpenApiRouter): string {
  let json = documents.get(router);
  if (!json) {
    json = JSON.stringify(buildOpenApiDocument(router));
    documents.set(router, json);
  }
  return json;
}

function buildOpenApiDocument(router: OpenApiRouter): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: "TechMart Analytics API",
    description: apiDescription,
    version: "1.0.0",
    baseUrl: restPrefix,
    docsUrl: "/docs",
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        description: "An API token: `Authorization: Bearer <token>`",
      },
    },
  });
  // One error shape for every operation, instead of one generated schema per error code
  const schemas = (document.components ??= {}).schemas ??= {};
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  schemas.Error = errorSchema;
  const creates = new Set([...createProcedures(router)].map((path) => path.replaceAll(".", "-")));
  const minRoles = new Map(
    Object.entries(router._def.procedures as unknown as Record<string, { _def: { meta?: unknown } }>)
      .map((
        [path, procedure],
      ) => [path.replaceAll(".", "-"), (procedure._def.meta as Meta | undefined)?.minRole]),
  );
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, OperationLike>)) {
      if (!operation?.responses) continue;
      const responses = operation.responses;
      const minRole = operation.operationId ? minRoles.get(operation.operationId) : undefined;
      if (minRole === "public") {
        // open to anyone: no credentials to ask for, so no 401 or 403 either
        delete operation.security;
        delete responses["401"];
        delete responses["403"];
      } else if (minRole) {
        operation.description = [operation.description, `Needs the ${minRole} role or above.`]
          .filter(Boolean).join("\n\n");
        operation["x-min-role"] = minRole;
      }
      for (const status of Object.keys(responses)) {
        if (status.startsWith("2")) continue;
        responses[status] = {
          description: responses[status].description ?? "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
      }
      if (operation.operationId && creates.has(operation.operationId) && responses["200"]) {
        responses["201"] = { ...responses["200"], description: "Created" };
        delete responses["200"];
      }
    }
  }
  return document;
}

type ErrorSchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

interface OperationLike {
  operationId?: string;
  description?: string;
  security?: unknown;
  "x-min-role"?: string;
  responses?: Record<string, { description?: string; content?: unknown }>;
}

const errorSchema: ErrorSchemaObject = {
  type: "object",
  description: "The body of every error response",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          description: "BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_MANY_REQUESTS, ...",
          examples: ["BAD_REQUEST"],
        },
        message: { type: "string", examples: ["Invalid input: limit: Too big: expected number to be <=100"] },
        issues: {
          type: "array",
          description: "For invalid input: each bad field",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: {
              path: { type: "string", examples: ["items.0.quantity"] },
              message: { type: "string" },
            },
          },
        },
        requestId: { type: "string", description: "The request's X-Request-Id" },
      },
    },
  },
};

// The page loads only files from our origin, so the strict CSP needs no exception
const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TechMart Analytics API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body>
</html>
`;

const docsInitScript = `window.ui = SwaggerUIBundle({
  url: "${restPrefix}/openapi.json",
  dom_id: "#docs",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;

const docsAssetTypes: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const docsAssets = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

async function readDocsAsset(
  file: string,
): Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | undefined> {
  if (file === "docs-init.js") {
    return { body: new TextEncoder().encode(docsInitScript), type: "text/javascript; charset=utf-8" };
  }
  const type = docsAssetTypes[file];
  // Only the listed names: the parameter never reaches the file system otherwise
  if (!type) return undefined;
  let body = docsAssets.get(file);
  if (!body) {
    body = Deno.readFile(`${getAbsoluteFSPath()}/${file}`);
    docsAssets.set(file, body);
  }
  return { body: await body, type };
}
