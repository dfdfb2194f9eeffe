import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context, Hono } from "hono";
import { authenticateRequest } from "../../auth/authenticate.ts";
import { databaseUnavailableMessage } from "../../db/unavailable.ts";
import { type Caller, roleAtLeast } from "../../trpc/roles.ts";
import type { IslandManifest } from "../../islands/build.ts";
import type { Services } from "../../services.ts";
import { HttpError } from "./http_error.ts";
import type { RouteModule, SiteDefinition } from "./page.ts";
import { renderDocument } from "./render.tsx";
import { userMessageOf } from "./user_message.ts";
import { createServerCaller } from "../../api/server_caller.ts";

/** Mounts every page: authenticate, check the role, load through the API, render. */
export function mountPages(
  app: Hono,
  services: Services,
  options: { manifest: () => IslandManifest; site: SiteDefinition },
): void {
  for (const { path, module } of options.site.routes) {
    app.get(path, (c) => servePage(c, module, services, options.manifest(), options.site));
  }
}

async function servePage(
  c: Context,
  module: RouteModule<never>,
  services: Services,
  manifest: IslandManifest,
  site: SiteDefinition,
) {
  const ErrorPage = site.errorPage;
  const url = new URL(c.req.url);
  const caller = await authenticateRequest(services, c.req.raw.headers);
  // Pages show private data: never let a shared cache or the back button keep them
  c.header("Cache-Control", "no-store");
  const render = (status: number, title: string, page: preact.VNode) =>
    c.html(
      renderDocument(page, { title, url, caller, manifest, layout: site.layout, nonce: c.get("nonce") }),
      status as 200,
    );
  const minRole = module.config.minRole;
  if (minRole !== "public") {
    if (!caller) return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    if (!roleAtLeast(caller.role, minRole)) {
      return render(403, "Forbidden", forbidden(ErrorPage, caller, minRole));
    }
  }
  try {
    const data = module.load
      ? await module.load({
        url,
        params: c.req.param() as Record<string, string>,
        caller,
        api: createServerCaller(services, caller, c.get("requestId")),
        services,
      })
      : (undefined as never);
    const Page = module.default;
    return render(200, module.config.title, <Page data={data} url={url} caller={caller} />);
  } catch (error) {
    const status = error instanceof HttpError
      ? error.status
      : error instanceof TRPCError
      ? getHTTPStatusCodeFromError(error)
      : 500;
    if (status >= 500) c.get("log").error("page failed", { path: url.pathname, error });
    const message = status === 503
      ? databaseUnavailableMessage
      : status >= 500
      ? `The page could not be loaded (request ${c.get("requestId")}). Try again in a moment.`
      : error instanceof HttpError
      ? error.message
      : userMessageOf(error);
    return render(status, "Error", <ErrorPage status={status} message={message} />);
  }
}

/**
 * Whether a request comes from a person's browser (a page load) rather than an API client: a GET
 * outside `/api` and `/trpc` that accepts HTML. Only such requests get HTML error pages; API errors
 * keep their JSON shape.
 */
export function wantsErrorPage(c: Context): boolean {
  const path = c.req.path;
  if (path.startsWith("/api/") || path.startsWith("/trpc") || path.startsWith("/build/")) return false;
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return false;
  return c.req.header("Accept")?.includes("text/html") ?? false;
}

/** An error page in the layout (with the user's navigation when signed in), e.g. for an unknown path. */
export async function serveErrorPage(
  c: Context,
  options: {
    services: Services;
    manifest: IslandManifest;
    site: SiteDefinition;
    status: 404 | 500 | 503;
    message: string;
  },
) {
  const url = new URL(c.req.url);
  // a broken database must not turn an error page into another error
  const caller = options.status >= 500
    ? null
    : await authenticateRequest(options.services, c.req.raw.headers).catch(() => null);
  c.header("Cache-Control", "no-store");
  const title = options.status === 404 ? "Page not found" : "Error";
  const ErrorPage = options.site.errorPage;
  const page = <ErrorPage status={options.status} message={options.message} />;
  return c.html(
    renderDocument(page, {
      title,
      url,
      caller,
      manifest: options.manifest,
      layout: options.site.layout,
      nonce: c.get("nonce") ?? "",
    }),
    options.status,
  );
}

function forbidden(ErrorPage: SiteDefinition["errorPage"], caller: Caller, minRole: string) {
  return (
    <ErrorPage
      status={403}
      // the role once: a user named after their role read "signed in as viewer (viewer)"
      message={`This page needs the ${minRole} role; you are signed in with the ${caller.role} role${
        caller.username === caller.role ? "" : ` (as ${caller.username})`
      }.`}
    />
  );
}
