import { type CacheEntry, heldEntry } from "../cache.ts";
import type { Services } from "../services.ts";
import { signInMessage } from "../trpc/init.ts";
import { roleAtLeast } from "../trpc/roles.ts";
import { type HotReadIndex, type HotRoute, pathAndQuery, restPrefix } from "./rest.ts";
import { matchesEtag } from "./direct_read_answer.ts";
import { requestIdOf } from "./request_id.ts";
import { laneCaller } from "./fast_lane_context.ts";
import { errorBody } from "./error_body.ts";
import { answerHotWrite, type HotWrite } from "./fast_lane_writes.ts";
import { readBearerToken } from "../auth/cookies.ts";
import { heldRequestCaller } from "../auth/authenticate.ts";
import type { Caller } from "../trpc/roles.ts";
import { directReadInput, type DirectReads } from "./direct_reads.ts";
import { answerFastRead } from "./fast_lane_reads.ts";

export interface FastLaneOptions {
  /** the hot reads by REST path below /api/v1 (rest.ts `hotQueryRoutes`) */
  routes: Map<string, HotRoute>;
  /** which cache entry answered each hot read URL (filled by the REST edge) */
  index: HotReadIndex;
  /** every REST read, called directly for API tokens (undefined: only the hot reads' hits) */
  reads?: DirectReads;
  /** the hot writes by REST path below /api/v1 (fast_lane_writes.ts `hotWriteRoutes`) */
  writes: Map<string, HotWrite>;
  /**
   * The headers the full chain puts on every JSON answer to a request without an Origin (security
   * headers, CORS' Vary and exposed headers), taken from that chain once (see app.tsx)
   */
  baseHeaders: Promise<[string, string][]>;
}

/**
 * The answers of the hottest requests, made without Hono's middleware chain (a CPU profile of these
 * requests found the chain, and the Response each middleware's header rebuilt, to be most of their
 * cost): a cached hot read (`GET /api/v1/dashboard/overview` and the like) whose entry this instance
 * already holds as bytes, and the 401 of the same paths without credentials. Everything else —
 * and these too whenever a step is not the plain case (rate limits on, a cross-origin request, a
 * role too low, an entry not held, a lookup failing) — returns undefined and goes down the full
 * chain, which answers it as it always did. The answers are the chain's, header for header.
 */
export function createFastLane(
  services: Services,
  options: FastLaneOptions,
): (
  request: Request,
  remoteAddr: () => string,
  chain: Chain,
) => Response | Promise<Response | undefined> | undefined {
  let base: [string, string][] | undefined;
  options.baseHeaders.then((headers) => base = headers).catch((error) =>
    services.log.warn("the fast lane stays off: its headers could not be read", { error })
  );
  // rate limits are counted by the full chain's middleware only
  const limited = services.config.RATE_LIMIT_PER_MINUTE > 0;
  // a hit's debug line is built only when it is written (the fields and the clock cost ~5% of a hit)
  const debug = services.config.LOG_LEVEL === "debug";
  return (request, remoteAddr, chain) => {
    if (!base || limited) return undefined;
    const target = pathAndQuery(request.url);
    if (!target.startsWith(restPrefix) || request.headers.has("origin")) return undefined;
    if (request.method === "POST") {
      const write = options.writes.get(target.slice(restPrefix.length));
      // only API tokens: a cookie's CSRF check is the chain's; another content type is its 415
      const headers = request.headers;
      if (
        !write || readBearerToken(headers) === undefined ||
        !headers.get("content-type")?.startsWith("application/json")
      ) return undefined;
      return answerHotWrite(services, request, write, base, remoteAddr(), chain);
    }
    if (request.method !== "GET") return undefined;
    const query = target.indexOf("?");
    const path = target.slice(restPrefix.length, query < 0 ? undefined : query);
    const route = options.routes.get(path);
    const hit = route && route.minRole !== undefined
      ? answer(services, request, route, target, base, options.index, debug)
      : undefined;
    if (hit instanceof Response) return hit;
    const reads = options.reads, set = base;
    if (!reads) return hit;
    // any other read from an API token: the procedure called here. Worked out only when no held entry
    // answered (matching the path and its query was ~7% of a hit's CPU when done ahead)
    const direct = () => {
      const learn = route ? { index: options.index, target } : undefined;
      return directRead(
        services,
        request,
        reads,
        path,
        query < 0 ? "" : target.slice(query),
        set,
        remoteAddr,
        learn,
      );
    };
    return hit ? hit.then((response) => response ?? direct()) : direct();
  };
}

/** A read from an API token answered by its procedure, or undefined for the chain (a cookie's caller). */
function directRead(
  services: Services,
  request: Request,
  reads: DirectReads,
  path: string,
  query: string,
  base: [string, string][],
  remoteAddr: () => string,
  learn: { index: HotReadIndex; target: string } | undefined,
): Promise<Response | undefined> | undefined {
  const headers = request.headers;
  if (headers.has("cookie") || readBearerToken(headers) === undefined) return undefined;
  const found = reads.match(path);
  const input = found && directReadInput(found.read, query, found.pathInput);
  if (!found || input === false) return undefined;
  return answerFastRead(services, request, found.read, input, base, remoteAddr, learn);
}

/**
 * The answers of one held entry (200 with its bytes, 304), built once and cloned per request: building a
 * Response validates each of its ~20 headers (34 µs against 2 µs for a clone and one header set, measured
 * in a loop), the largest cost left in a hit after the chain was gone.
 */
const answers = new WeakMap<CacheEntry<unknown>, { ok?: Response; notModified?: Response }>();

function answerOf(entry: CacheEntry<unknown>, base: [string, string][], notModified: boolean): Response {
  let built = answers.get(entry);
  if (!built) answers.set(entry, built = {});
  const headers = (): [string, string][] => [
    ...base,
    ["cache-control", "private, no-cache"],
    ["content-type", "application/json"],
    ["etag", entry.etag],
    ["x-cache", "hit"],
  ];
  // the templates are never sent themselves, so their bodies stay unread and every clone has the bytes
  return notModified
    ? built.notModified ??= new Response(null, { status: 304, headers: headers() })
    : built.ok ??= new Response(entry.restBody, { status: 200, headers: headers() });
}

/**
 * The 401 of every request without credentials: the same bytes for everyone (the request id travels in
 * the X-Request-Id header, as on every 401: `errorBody`), so it is built once and cloned.
 * Building it per request validated its ~13 headers each time: a bare `Deno.serve` answering this 401 built
 * per request managed 36,000-42,000 a second against 70,000-97,000 cloned (wrk, 100 connections).
 */
let signIn: { base: [string, string][]; response: Response } | undefined;

function signInAnswer(base: [string, string][]): Response {
  if (signIn?.base !== base) {
    signIn = {
      base,
      response: new Response(JSON.stringify(errorBody(401, "UNAUTHORIZED", signInMessage)), {
        status: 401,
        headers: [
          ...base,
          ["cache-control", "no-store"],
          ["content-type", "application/json; charset=utf-8"],
        ],
      }),
    };
  }
  return signIn.response;
}

/** The full middleware chain, for what the fast lane hands on. */
type Chain = (request: Request) => Response | Promise<Response>;

function answer(
  services: Services,
  request: Request,
  route: HotRoute,
  target: string,
  base: [string, string][],
  index: HotReadIndex,
  debug: boolean,
): Response | Promise<Response | undefined> | undefined {
  const start = debug ? performance.now() : undefined;
  const headers = request.headers;
  const answerAs = (caller: Caller | null) =>
    held(services, headers, caller, route, target, base, index, start);
  // nearly every hit: the caller is held by this instance, and the answer is made without a promise
  // (the async steps and the promise Deno.serve then awaits were ~10% of a hit's CPU)
  const known = heldRequestCaller(services, headers);
  if (known !== undefined) return answerAs(known);
  return laneCaller(services, headers).then((caller) => caller === undefined ? undefined : answerAs(caller));
}

/** A hot read's answer for `caller` from the entry this instance holds, or undefined for the chain. */
function held(
  services: Services,
  headers: Headers,
  caller: Caller | null,
  route: HotRoute,
  target: string,
  base: [string, string][],
  index: HotReadIndex,
  /** when the request came in, when its debug line is written */
  start: number | undefined,
): Response | undefined {
  const requestId = requestIdOf(headers);
  let response: Response;
  if (!caller && route.needsCaller) {
    response = signInAnswer(base).clone();
    response.headers.set("x-request-id", requestId);
  } else {
    if (caller && route.minRole !== "public" && !roleAtLeast(caller.role, route.minRole!)) return undefined;
    const learnt = index.find(target);
    const entry = learnt && heldEntry(services.kv, learnt.namespace, learnt.key);
    if (!entry?.restBody) return undefined;
    const notModified = matchesEtag(headers.get("if-none-match") ?? undefined, entry.etag);
    response = answerOf(entry, base, notModified).clone();
    response.headers.set("x-request-id", requestId);
  }
  if (start === undefined) return response;
  services.log.debug("request", {
    requestId,
    method: "GET",
    path: target.split("?")[0],
    status: response.status,
    ms: Math.round((performance.now() - start) * 10) / 10,
  });
  return response;
}
