import type { ComponentChildren, ComponentType, VNode } from "preact";
import type { Caller, Role } from "../../trpc/roles.ts";
import type { Services } from "../../services.ts";
import type { createServerCaller } from "../../api/server_caller.ts";

/** What a route's loader receives: the URL, the caller, and the API as server-side calls. */
export interface PageContext {
  url: URL;
  params: Record<string, string>;
  caller: Caller | null;
  /** The tRPC router called in-process, with the caller's rights */
  api: ReturnType<typeof createServerCaller>;
  services: Services;
}

export interface PageProps<Data> {
  data: Data;
  url: URL;
  caller: Caller | null;
}

/** A route file's exports: its access rule and title, an optional loader, and the page component. */
export interface RouteModule<Data = unknown> {
  config: { title: string; minRole: Role | "public" };
  load?: (ctx: PageContext) => Promise<Data>;
  default: (props: PageProps<Data>) => VNode | null;
}

/** The sign-in page's data, filled by the page's loader or by a refused sign-in form. */
export interface LoginData {
  next: string;
  username: string;
  error: string | null;
  notice: string | null;
  signedInAs: string | null;
}

/** One page by URL pattern (Hono syntax, e.g. `/products/:id`). */
export interface PageRoute {
  path: string;
  module: RouteModule<never>;
}

/**
 * What fresh.config.ts declares and the web edge serves: the pages, the layout around them, the
 * error page and the sign-in page (re-rendered by a refused sign-in form). Handed down from the
 * entry, so the server never imports the page floor above it.
 */
export interface SiteDefinition {
  routes: PageRoute[];
  /**
   * The islands, by name: each is `islands/<Name>.tsx`'s default export. The server renders them inside
   * a hydration marker and the bundler builds one entry per name.
   */
  islands: Record<string, ComponentType<never>>;
  layout: (props: LayoutProps) => VNode;
  errorPage: (props: { status: number; message: string }) => VNode;
  loginPage: (props: PageProps<LoginData>) => VNode;
}

export interface LayoutProps {
  title: string;
  url: URL;
  caller: Caller | null;
  children: ComponentChildren;
}
