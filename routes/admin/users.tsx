import UserAdmin from "../../islands/UserAdmin.tsx";
import type { PageContext, PageProps } from "../../server/pages/page.ts";

export const config = { title: "Users", minRole: "admin" } as const;

export async function load(ctx: PageContext) {
  const users = await ctx.api.users.list();
  return {
    currentUserId: ctx.caller?.userId ?? 0,
    users: users.map((user) => ({
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      isDisabled: user.isDisabled,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      activeSessions: user.activeSessions,
    })),
  };
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
