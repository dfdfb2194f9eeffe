import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Context, Hono } from "hono";
import ErrorPage from "../../routes/_error.tsx";
import { authenticateRequest } from "../auth/authenticate.ts";
import { databaseUnavailableMessage } from "../db/unavailable.ts";
import { type Caller, roleAtLeast } from "../auth/roles.ts";
import type { IslandManifest } from "../islands/build.ts";
import type { Services } from "../services.ts";
import { HttpError } from "./http_error.ts";
import type { RouteModule } from "./page.ts";
import { renderDocument } from "./render.tsx";
import { pageRoutes } from "./routes.ts";
import { createServerCaller } from "./server_caller.ts";

/** Mounts every page: authenticate, check the role, load through the API, render. */
export function mountPages(app: Hono, services: Services, manifest: () => IslandManifest): void {
  for (const { path, module } of pageRoutes) {
    app.get(path, (c) => servePage(c, module, services, manifest()));
  }
}

async function servePage(
  c: Context,
  module: RouteModule<never>,
  services: Services,
  manifest: IslandManifest,
) {
  const url = new URL(c.req.url);
  const caller = await authenticateRequest(services, c.req.raw.headers);
  // Pages show private data: never let a shared cache or the back button keep them
  c.header("Cache-Control", "no-store");
  const render = (status: number, title: string, page: preact.VNode) =>
    c.html(renderDocument(page, { title, url, caller, manifest, nonce: c.get("nonce") }), status as 200);
  const minRole = module.config.minRole;
  if (minRole !== "public") {
    if (!caller) return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    if (!roleAtLeast(caller.role, minRole)) {
      return render(403, "Forbidden", forbidden(caller, minRole));
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
      : (error as Error).message;
    return render(status, "Error", <ErrorPage status={status} message={message} />);
  }
}

function forbidden(caller: Caller, minRole: string) {
  return (
    <ErrorPage
      status={403}
      message={`This page needs the ${minRole} role; you are signed in as ${caller.username} (${caller.role}).`}
    />
  );
}
