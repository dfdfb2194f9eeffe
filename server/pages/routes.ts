import type { RouteModule } from "./page.ts";
import * as dashboard from "../../routes/index.tsx";
import * as login from "../../routes/login.tsx";

/** Every page, by URL pattern (Hono syntax, e.g. `/products/:id`). */
export const pageRoutes: { path: string; module: RouteModule<never> }[] = [
  { path: "/", module: dashboard as unknown as RouteModule<never> },
  { path: "/login", module: login as unknown as RouteModule<never> },
];
