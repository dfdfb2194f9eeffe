import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z, ZodError } from "zod";
import LoginPage, { type LoginData } from "../../routes/login.tsx";
import { clientIp } from "../http/client_ip.ts";
import type { IslandManifest } from "../islands/build.ts";
import { renderDocument } from "../pages/render.tsx";
import { createServerCaller } from "../pages/server_caller.ts";
import type { Services } from "../services.ts";
import { describeZodError } from "../trpc/init.ts";
import { authenticateRequest, forgetAuthentication } from "./authenticate.ts";
import { csrfCookieName, readCookie, sessionCookieName } from "./cookies.ts";
import { safeNextPath } from "./safe_next.ts";
import { sessionMaxMs } from "./sessions.ts";
import { deleteSessionByToken } from "./sessions.ts";
import { signIn, type SignInResult } from "./sign_in.ts";

const loginBody = z.object({
  username: z.string().max(200),
  password: z.string().max(1000),
});

/**
 * Mounts sign-in and sign-out (REST under /api/v1/auth and the HTML form posts /login and /logout),
 * plus the token endpoints as plain REST, all answering JSON errors as `{ error: { code, message } }`.
 */
export function mountAuthRoutes(app: Hono, services: Services, manifest: () => IslandManifest): void {
  app.post("/api/v1/auth/login", async (c) => {
    const parsed = loginBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      return jsonError(c, 400, "BAD_REQUEST", 'Send JSON {"username": "...", "password": "..."}');
    }
    const result = await attemptSignIn(c, services, parsed.data);
    if (result.status !== "ok") return signInFailure(c, result);
    return c.json({
      user: { id: result.user.id, username: result.user.username, role: result.user.role },
      role: result.user.role,
      expiresAt: result.session.expiresAt.toISOString(),
      csrfToken: result.session.csrfToken,
    });
  });

  app.post("/api/v1/auth/logout", async (c) => {
    const sessionsEnded = await endSession(c, services);
    return c.json({ sessionsEnded });
  });

  app.post("/api/v1/auth/logout-everywhere", async (c) => {
    const caller = await authenticateRequest(services, c.req.raw.headers);
    if (!caller) return jsonError(c, 401, "UNAUTHORIZED", "Sign in to continue");
    const result = await createServerCaller(services, caller, c.get("requestId")).auth.logoutEverywhere();
    clearSessionCookies(c);
    return c.json(result);
  });

  app.get("/api/v1/auth/me", (c) => viaApi(c, services, (api) => api.auth.me()));
  app.get("/api/v1/auth/tokens", (c) => viaApi(c, services, (api) => api.tokens.list()));
  app.post("/api/v1/auth/tokens", async (c) => {
    const body = await c.req.json().catch(() => undefined);
    return viaApi(c, services, (api) => api.tokens.create(body), 201);
  });
  app.delete(
    "/api/v1/auth/tokens/:id",
    (c) => viaApi(c, services, (api) => api.tokens.revoke({ id: Number(c.req.param("id")) })),
  );

  app.post("/login", async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const text = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    const next = safeNextPath(text("next"));
    const result = await attemptSignIn(c, services, {
      username: text("username"),
      password: text("password"),
    });
    if (result.status === "ok") return c.redirect(next, 303);
    if (result.status === "throttled") c.header("Retry-After", String(result.retryAfterSeconds));
    const data: LoginData = {
      next,
      username: text("username").slice(0, 64),
      error: result.message,
      notice: null,
      signedInAs: null,
    };
    const url = new URL(c.req.url);
    c.header("Cache-Control", "no-store");
    const html = renderDocument(<LoginPage data={data} url={url} caller={null} />, {
      title: "Sign in",
      url,
      caller: null,
      manifest: manifest(),
      nonce: c.get("nonce"),
    });
    return c.html(html, statusOf(result));
  });

  app.post("/logout", async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    if (form.scope === "everywhere") {
      const caller = await authenticateRequest(services, c.req.raw.headers);
      if (caller) await createServerCaller(services, caller, c.get("requestId")).auth.logoutEverywhere();
      clearSessionCookies(c);
    } else {
      await endSession(c, services);
    }
    c.header("Cache-Control", "no-store");
    // Tells the browser to drop anything it kept of our pages (back button, cache)
    c.header("Clear-Site-Data", '"cache"');
    return c.redirect("/login?signedOut=1", 303);
  });
}

async function attemptSignIn(
  c: Context,
  services: Services,
  credentials: { username: string; password: string },
): Promise<SignInResult> {
  const previousToken = readCookie(c.req.raw.headers, sessionCookieName);
  const result = await signIn(services, {
    ...credentials,
    ip: clientIp(c),
    userAgent: c.req.header("user-agent"),
    previousToken,
  });
  if (result.status === "ok") {
    const secure = isHttps(c, services);
    const maxAge = Math.floor(sessionMaxMs / 1000);
    setCookie(c, sessionCookieName, result.session.token, {
      httpOnly: true,
      sameSite: "Lax",
      secure,
      path: "/",
      maxAge,
    });
    // Readable by scripts on purpose: the islands echo it in X-CSRF-Token (double submit)
    setCookie(c, csrfCookieName, result.session.csrfToken, { sameSite: "Strict", secure, path: "/", maxAge });
    forgetAuthentication(c.req.raw.headers);
  }
  c.header("Cache-Control", "no-store");
  return result;
}

async function endSession(c: Context, services: Services): Promise<number> {
  const token = readCookie(c.req.raw.headers, sessionCookieName);
  clearSessionCookies(c);
  if (!token) return 0;
  await deleteSessionByToken(services.db.sql, token);
  forgetAuthentication(c.req.raw.headers);
  return 1;
}

function clearSessionCookies(c: Context) {
  deleteCookie(c, sessionCookieName, { path: "/" });
  deleteCookie(c, csrfCookieName, { path: "/" });
}

function isHttps(c: Context, services: Services): boolean {
  return new URL(c.req.url).protocol === "https:" ||
    services.config.PUBLIC_URL?.startsWith("https:") === true;
}

function statusOf(result: Exclude<SignInResult, { status: "ok" }>): 401 | 403 | 429 {
  return result.status === "throttled" ? 429 : result.status === "disabled" ? 403 : 401;
}

function signInFailure(c: Context, result: Exclude<SignInResult, { status: "ok" }>) {
  if (result.status === "throttled") c.header("Retry-After", String(result.retryAfterSeconds));
  const code = result.status === "throttled"
    ? "TOO_MANY_REQUESTS"
    : result.status === "disabled"
    ? "FORBIDDEN"
    : "UNAUTHORIZED";
  return jsonError(c, statusOf(result), code, result.message);
}

async function viaApi<T>(
  c: Context,
  services: Services,
  call: (api: ReturnType<typeof createServerCaller>) => Promise<T>,
  successStatus: 200 | 201 = 200,
) {
  c.header("Cache-Control", "no-store");
  const caller = await authenticateRequest(services, c.req.raw.headers);
  try {
    const api = createServerCaller(services, caller, c.get("requestId"));
    return c.json(await call(api) as object, successStatus);
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const status = getHTTPStatusCodeFromError(error);
    if (status >= 500) {
      c.get("log").error("auth endpoint failed", { path: c.req.path, error: error.cause ?? error });
      return jsonError(c, 500, "INTERNAL_SERVER_ERROR", "Something went wrong on our side");
    }
    const message = error.cause instanceof ZodError ? describeZodError(error.cause) : error.message;
    return jsonError(c, status, error.code, message);
  }
}

function jsonError(c: Context, status: number, code: string, message: string) {
  return c.json({ error: { code, message } }, status as 400);
}
