import { callTRPCProcedure } from "@trpc/server";
import { authenticateRequest } from "../auth/authenticate.ts";
import { appRouter } from "../api/app_router.ts";
import type { Services } from "../services.ts";
import { createInnerContext } from "../trpc/context.ts";
import type { Meta } from "../trpc/init.ts";
import { forwardedClientIp } from "./client_ip.ts";
import { procedureErrorResponse } from "./rest.ts";
import { requestIdOf } from "./request_id.ts";

/**
 * The writes every till sends, called on their procedure directly when the request is the plain case.
 * trpc-to-openapi's general path (URL parsing, a proxied request, a caller per request) and Hono's
 * chain were a fifth of a sale's CPU in the profile.
 */
const hotWrites = ["transactions.create"];

/** A hot write's procedure and its input parser, by REST path below /api/v1 (POST only). */
export interface HotWrite {
  path: string;
  parseInput(input: unknown): { success: boolean };
}

export function hotWriteRoutes(): Map<string, HotWrite> {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; inputs: { safeParse(input: unknown): { success: boolean } }[] } }
  >;
  const routes = new Map<string, HotWrite>();
  for (const path of hotWrites) {
    const definition = procedures[path]?._def;
    const openapi = definition?.meta?.openapi;
    const parser = definition?.inputs.length === 1 ? definition.inputs[0] : undefined;
    if (openapi?.method !== "POST" || openapi.path.includes("{") || !parser?.safeParse) continue;
    routes.set(openapi.path, { path, parseInput: (input) => parser.safeParse(input) });
  }
  return routes;
}

/** Largest body the fast lane reads itself; anything bigger goes down the chain and its body limit. */
const maxFastBodyBytes = 64 * 1024;

/**
 * A hot write (see `hotWrites`) from an API token, answered without the chain: the JSON body is read
 * (declared length, within the chain's body timeout), the caller found, the input checked with the
 * procedure's own parser, and the procedure called as trpc-to-openapi calls it (`{...body}`), with the
 * same context. Whatever is not the plain case goes down the chain with the same body, before anything
 * was done: a cookie (CSRF), an Origin (CORS), rate limits on, another content type, a body that is not
 * a JSON object, an input the strict parser refuses (trpc-to-openapi coerces strings; it answers those),
 * a failed lookup. Errors of the procedure itself get the chain's documented error body.
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
  const again = () => chain(new Request(request.url, { method: request.method, headers, body: text }));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return again();
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return again();
  const input = { ...body };
  let caller;
  try {
    caller = await authenticateRequest(services, headers);
  } catch {
    return again();
  }
  if (!route.parseInput(input).success) return again();

  const requestId = requestIdOf(headers);
  const log = services.log.child({ requestId });
  const ctx = createInnerContext({
    services,
    caller,
    requestId,
    log,
    ip: forwardedClientIp(
      remoteAddr,
      headers.get("x-forwarded-for") ?? undefined,
      services.config.TRUSTED_PROXIES,
    ),
    idempotencyKey: headers.get("idempotency-key") ?? undefined,
  });
  let response: Response;
  try {
    const data = await callTRPCProcedure({
      router: appRouter,
      path: route.path,
      getRawInput: () => Promise.resolve(input),
      ctx,
      type: "mutation",
      signal: undefined,
      batchIndex: 0,
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
    response = procedureErrorResponse(
      { method: "POST", url: request.url, requestId },
      cause,
      route.path,
      log,
      [...base, ["cache-control", "no-store"], ["x-request-id", requestId]],
    );
  }
  const fields = {
    method: "POST",
    path: new URL(request.url).pathname,
    status: response.status,
    ms: Math.round((performance.now() - start) * 10) / 10,
  };
  if (response.status >= 500) log.error("request failed", fields);
  else log.debug("request", fields);
  return response;
}

class BodyTimeout extends Error {}
