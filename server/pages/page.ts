import type { ComponentChildren, VNode } from "preact";
import type { Caller, Role } from "../auth/roles.ts";
import type { Services } from "../services.ts";
import type { createServerCaller } from "./server_caller.ts";

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

export interface LayoutProps {
  title: string;
  url: URL;
  caller: Caller | null;
  children: ComponentChildren;
}
