import UserAdmin from "../../islands/UserAdmin.tsx";
import type { PageContext, PageProps } from "../../server/http/pages/page.ts";

export const config = { title: "Users", minRole: "admin" } as const;

export async function load(ctx: PageContext) {
  return { currentUserId: ctx.caller?.userId ?? 0, users: await ctx.api.users.list() };
}

export default function UsersPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <p class="muted">
        Roles: <strong>viewer</strong> reads dashboards and analytics; <strong>analyst</strong>{" "}
        also exports, creates alerts and labels transactions; <strong>manager</strong>{" "}
        also changes transactions, reorders, alerts and products; <strong>admin</strong>{" "}
        also manages users, API tokens and jobs.
      </p>
      <UserAdmin users={data.users} currentUserId={data.currentUserId} />
    </>
  );
}
