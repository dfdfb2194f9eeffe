import { defineDomain } from "../domain.ts";
import { authRouter } from "./auth_router.ts";
import { usersRouter } from "./users_router.ts";
import { tokensRouter } from "./tokens_router.ts";
import { auditRouter } from "./audit_router.ts";

/** Sign-in, users, API tokens, the audit log. */
export const authDomain = defineDomain({
  folder: "auth",
  routers: { auth: authRouter, users: usersRouter, tokens: tokensRouter, audit: auditRouter },
  events: ["access.revoked"],
  pages: [
    { path: "/login", route: "login" },
    { path: "/admin/users", route: "admin/users" },
    { path: "/admin/tokens", route: "admin/tokens" },
    { path: "/admin/audit", route: "admin/audit" },
    { path: "/account", route: "account" },
  ],
});
