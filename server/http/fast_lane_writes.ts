import { TRPCError } from "@trpc/server";
import { coerceSchema, instanceofZodTypeObject, unwrapZodType, zodSupportsCoerce } from "trpc-to-openapi";
import { appRouter } from "../api/app_router.ts";
import type { Services } from "../services.ts";
import type { Meta } from "../trpc/init.ts";
import { callProcedureDirectly } from "../trpc/direct_call.ts";
import type { Logger } from "../log.ts";
import { fastLaneContext, laneCaller, logged } from "./fast_lane_context.ts";
import { procedureErrorResponse } from "./error_answers.ts";
import { requestIdOf } from "./request_id.ts";
import { keepJsonBodyTypes } from "./json_body_types.ts";

/**
 * The writes every till sends, called on their procedure directly when the request is the plain case.
 * trpc-to-openapi's general path (URL parsing, a proxied request, a caller per request) and Hono's
 * chain were a fifth of a sale's CPU in the profile.
 */
const hotWrites = ["transactions.create"];

/** A hot write's procedure, by REST path below /api/v1 (POST only). */
export interface HotWrite {
  path: string;
}

export function hotWriteRoutes(): Map<string, HotWrite> {
  keepJsonBodyTypes(appRouter);
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; inputs: unknown[] } }
  >;
  const routes = new Map<string, HotWrite>();
  for (const path of hotWrites) {
    const definition = procedures[path]?._def;
    const openapi = definition?.meta?.openapi;
    if (openapi?.method !== "POST" || openapi.path.includes("{") || definition.inputs.length !== 1) continue;
    // trpc-to-openapi sets zod's coerce flag on a procedure's input the first time it serves it (a body's
    // numbers and booleans keep their types: json_body_types.ts); done here the same way, once, the
    // procedure called directly reads every body as trpc-to-openapi would
    const schema = unwrapZodType(definition.inputs[0] as Parameters<typeof unwrapZodType>[0], true);
    if (zodSupportsCoerce && instanceofZodTypeObject(schema)) coerceSchema(schema);
    routes.set(openapi.path, { path });
  }
  return routes;
}

/** Largest body the fast lane reads itself; anything bigger goes down the chain and its body limit. */
const maxFastBodyBytes = 64 * 1024;

/**
 * A hot write (see `hotWrites`) from an API token, answered without the chain: the JSON body is read
 * (declared length, within the chain's body timeout), the caller found, and the procedure called as
 * trpc-to-openapi calls it (`{...body}`, its input schema coerced as trpc-to-openapi coerces it), with the
 * same context; its refusals (role, input, stock) and a body that is not JSON get the chain's documented
 * error answer, in the order the chain gives them. Whatever is not the plain case goes down the chain with
 * the same body, before anything was done: a cookie (CSRF), an Origin (CORS), rate limits on, another
 * content type, a body without a declared length or above 64 KB (the chain's body limit), a failed lookup.
 */
export async function answerHotWrite(
  services: Services,
  request: Request,
  route: HotWrite,
  base: [string, string][],
  remoteAddr: string,
  chain: (request: Request) => Response | Promise<Response>,
): Promise<Response> {
  const start = performance.now();
  const headers = request.headers;
  const length = Number(headers.get("content-length") ?? NaN);
  if (!(length >= 0 && length <= maxFastBodyBytes)) return chain(request);
  let text: string;
  const timeoutMs = services.config.HTTP_BODY_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    text = await Promise.race([
      request.text(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BodyTimeout()), timeoutMs);
      }),
    ]);
  } catch (error) {
    if (!(error instanceof BodyTimeout)) throw error;
    return new Response(
      JSON.stringify({
        error: { code: "TIMEOUT", message: `The request body did not arrive within ${timeoutMs} ms` },
      }),
      {
        status: 408,
        headers: [...base, ["content-type", "application/json"], ["x-request-id", requestIdOf(headers)]],
      },
    );
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    // trpc-to-openapi reads the body before it asks who the caller is: not JSON is a 400 for anyone
    const requestId = requestIdOf(headers);
    const log = services.log.child({ requestId });
    const parseError = new TRPCError({ code: "PARSE_ERROR", message: "Failed to parse request body", cause });
    return logged(request, errorAnswer(request, route, requestId, parseError, base, log), start, log);
  }
  // trpc-to-openapi spreads whatever JSON came (an array's items become "0", "1", ...; null nothing)
  const input = { ...(body as object) };
  const caller = await laneCaller(services, headers);
  if (caller === undefined) {
    return chain(new Request(request.url, { method: request.method, headers, body: text }));
  }

  const ctx = fastLaneContext(services, headers, caller, remoteAddr);
  const { requestId, log } = ctx;
  let response: Response;
  try {
    const data = await callProcedureDirectly({
      router: appRouter,
      path: route.path,
      getRawInput: () => Promise.resolve(input),
      ctx,
      type: "mutation",
    });
    const answerHeaders: [string, string][] = [
      ...base,
      ["cache-control", "no-store"],
      ["content-type", "application/json"],
      ["x-request-id", requestId],
    ];
    if (ctx.responseMeta.cache) answerHeaders.push(["x-cache", ctx.responseMeta.cache]);
    // creates answer 201 unless the procedure says otherwise (a replayed idempotent create: 200)
    response = new Response(JSON.stringify(data), {
      status: ctx.responseMeta.status ?? 201,
      headers: answerHeaders,
    });
  } catch (cause) {
    response = errorAnswer(request, route, requestId, cause, base, log);
  }
  return logged(request, response, start, log);
}

/** The chain's documented error answer (and its log line when it is our fault) for a refused hot write. */
function errorAnswer(
  request: Request,
  route: HotWrite,
  requestId: string,
  cause: unknown,
  base: [string, string][],
  log: Logger,
): Response {
  return procedureErrorResponse(
    { method: "POST", url: request.url, requestId },
    cause,
    route.path,
    log,
    [...base, ["cache-control", "no-store"], ["x-request-id", requestId]],
  );
}

class BodyTimeout extends Error {}
