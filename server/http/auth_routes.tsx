import type { Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { clientIp } from "./client_ip.ts";
import type { IslandManifest } from "../islands/build.ts";
import type { LoginData, SiteDefinition } from "./pages/page.ts";
import { renderDocument } from "./pages/render.tsx";
import { jsonError } from "./caller.ts";
import { createServerCaller } from "../api/server_caller.ts";
import type { Services } from "../services.ts";
import { authenticateRequest, forgetAuthentication } from "../auth/authenticate.ts";
import { publishAccessRevoked } from "../auth/access_revoked.ts";
import { csrfCookieName, readCookie, sessionCookieNameFor } from "../auth/cookies.ts";
import { safeNextPath } from "../auth/safe_next.ts";
import { sessionMaxMs } from "../auth/sessions.ts";
import { deleteSessionByToken } from "../auth/sessions.ts";
import { signIn, type SignInResult } from "../auth/sign_in.ts";

const loginBody = z.object({
  username: z.string().max(200),
  password: z.string().max(1000),
});

/**
 * Mounts sign-in and sign-out (REST under /api/v1/auth and the HTML form posts /login and /logout),
 * answering JSON errors as `{ error: { code, message } }`. `/api/v1/auth/me` and the token
 * endpoints are the documented procedures, answered by the REST bridge like every other.
 */
export function mountAuthRoutes(
  app: Hono,
  services: Services,
  options: { manifest: () => IslandManifest; site: SiteDefinition },
): void {
  const { manifest, site } = options;
  const LoginPage = site.loginPage;
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
    if (caller.via !== "session") {
      return jsonError(
        c,
        403,
        "FORBIDDEN",
        "Sign out everywhere from a signed-in session; an API token cannot end sessions",
      );
    }
    const result = await createServerCaller(services, caller, c.get("requestId"), clientIp(c)).auth
      .logoutEverywhere();
    clearSessionCookies(c, services);
    return c.json(result);
  });

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
      layout: site.layout,
      nonce: c.get("nonce"),
    });
    return c.html(html, statusOf(result));
  });

  app.post("/logout", async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    if (form.scope === "everywhere") {
      const caller = await authenticateRequest(services, c.req.raw.headers);
      if (caller?.via === "session") {
        await createServerCaller(services, caller, c.get("requestId"), clientIp(c)).auth.logoutEverywhere();
      }
      clearSessionCookies(c, services);
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
  const previousToken = readCookie(c.req.raw.headers, sessionCookieNameFor(services.config.PUBLIC_URL));
  const result = await signIn(services, {
    ...credentials,
    ip: clientIp(c),
    userAgent: c.req.header("user-agent"),
    previousToken,
  });
  if (result.status === "ok") {
    const secure = isHttps(c, services);
    const maxAge = Math.floor(sessionMaxMs / 1000);
    setCookie(c, sessionCookieNameFor(services.config.PUBLIC_URL), result.session.token, {
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
  const token = readCookie(c.req.raw.headers, sessionCookieNameFor(services.config.PUBLIC_URL));
  clearSessionCookies(c, services);
  if (!token) return 0;
  const sessionIdHash = await deleteSessionByToken(services.db.sql, token);
  forgetAuthentication(c.req.raw.headers);
  if (sessionIdHash) await publishAccessRevoked(services, { sessionIdHash, reason: "signed_out" });
  return 1;
}

function clearSessionCookies(c: Context, services: Services) {
  const name = sessionCookieNameFor(services.config.PUBLIC_URL);
  // A __Host- cookie is only accepted (and so only removed) with Secure and path /
  deleteCookie(c, name, { path: "/", secure: name.startsWith("__Host-") });
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
