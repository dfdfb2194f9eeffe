import ChangePassword from "../islands/ChangePassword.tsx";
import { Panel } from "../components/Panel.tsx";
import { minPasswordLength } from "../server/auth/password.ts";
import type { PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Your account", minRole: "viewer" } as const;

export function load(ctx: PageContext) {
  const caller = ctx.caller!;
  return Promise.resolve({ username: caller.username, role: caller.role, via: caller.via });
}

/** The signed-in user's own account: who they are, and changing their password. */
export default function AccountPage({ data }: PageProps<Awaited<ReturnType<typeof load>>>) {
  return (
    <>
      <p>
        Signed in as <strong>{data.username}</strong> with the <strong>{data.role}</strong> role.
      </p>
      <Panel title="Change your password">
        {data.via === "session"
          ? <ChangePassword username={data.username} minLength={minPasswordLength} />
          : <p class="muted">API tokens have no password.</p>}
      </Panel>
    </>
  );
}
