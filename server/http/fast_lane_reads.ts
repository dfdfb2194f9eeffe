import { appRouter } from "../api/app_router.ts";
import type { Services } from "../services.ts";
import { fastLaneContext, laneCaller, logged } from "./fast_lane_context.ts";
import { answerDirectRead } from "./direct_read_answer.ts";
import type { DirectRead } from "./direct_reads.ts";
import type { HotReadIndex } from "./rest.ts";

/**
 * A REST read (any GET procedure) from an API token, answered without the middleware chain: the caller
 * found, the procedure called directly with the context the chain would give it, and its answer built with
 * the chain's headers (`direct_reads_contract_test` compares the two). In a profile of a cached read down the
 * chain, Hono's middleware and the Response each of them rebuilt were most of what was left after
 * trpc-to-openapi's handler was gone. `hot`: the fast lane's own hot reads, whose entry is learnt for the
 * next hit. undefined (the chain answers) when the caller cannot be looked up.
 */
export async function answerFastRead(
  services: Services,
  request: Request,
  read: DirectRead,
  input: Record<string, unknown> | undefined,
  base: [string, string][],
  remoteAddr: () => string,
  hot: { index: HotReadIndex; target: string } | undefined,
): Promise<Response | undefined> {
  const start = performance.now();
  const headers = request.headers;
  const caller = await laneCaller(services, headers);
  if (caller === undefined) return undefined;
  const ctx = fastLaneContext(services, headers, caller, remoteAddr());
  const { requestId, log } = ctx;
  const response = await answerDirectRead({
    router: appRouter,
    read,
    input,
    ctx,
    request: { method: "GET", url: request.url, requestId },
    ifNoneMatch: headers.get("if-none-match") ?? undefined,
    headers: [...base, ["x-request-id", requestId]],
    hot: hot && { learn: (entry) => hot.index.learn(hot.target, entry) },
  });
  return logged(request, response, start, log);
}
