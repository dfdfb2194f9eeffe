import type { Context } from "hono";
import { authenticateRequest } from "../auth/authenticate.ts";
import type { Services } from "../services.ts";
import { type Caller, type Role, roleAtLeast } from "../trpc/roles.ts";
import type {} from "./request_id.ts";
import { errorBody } from "./error_body.ts";

/**
 * The one JSON error of routes outside tRPC (sign-in, downloads, sockets), shaped like the REST
 * bridge's (`errorBody`), never cached.
 */
export function jsonError(c: Context, status: number, code: string, message: string): Response {
  c.header("Cache-Control", "no-store");
  // any 4xx/5xx the caller names (tRPC codes map to more than a fixed list)
  return c.json(errorBody(status, code, message, c.get("requestId")), status as 400);
}

/**
 * The caller of a route outside tRPC when they hold `minRole`; otherwise the response to return:
 * 401 without a session or token (a browser asking for HTML is sent to sign in when
 * `redirectBrowsers`), 403 with a role too low.
 * @example const caller = await requireCaller(c, services, "analyst");
 * if (caller instanceof Response) return caller;
 */
export async function requireCaller(
  c: Context,
  services: Services,
  minRole: Role,
  options: { headers?: Headers; redirectBrowsers?: boolean } = {},
): Promise<Caller | Response> {
  const caller = await authenticateRequest(services, options.headers ?? c.req.raw.headers);
  if (!caller) {
    if (options.redirectBrowsers && c.req.header("Accept")?.includes("text/html")) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    return jsonError(c, 401, "UNAUTHORIZED", "Sign in, or send an API token, to continue");
  }
  if (!roleAtLeast(caller.role, minRole)) {
    return jsonError(
      c,
      403,
      "FORBIDDEN",
      `This needs the ${minRole} role; ${caller.username} is ${caller.role}`,
    );
  }
  return caller;
}
