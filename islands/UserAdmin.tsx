import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { type Role, roles } from "../server/trpc/roles.ts";
import { useReloadingAction } from "./_action.ts";
import { countOf, formatDateTime } from "../server/shared/format.ts";

/** One user row as `users.list` answers it. */
export type UserAdminRow = RouterOutputs["users"]["list"][number];

export interface UserAdminProps {
  users: RouterOutputs["users"]["list"];
  /** the signed-in admin, who cannot lock themselves out by accident */
  currentUserId: number;
}

/** Admin > Users: create accounts, change roles, disable, reset passwords, clear sign-in waits. */
export default function UserAdmin(props: UserAdminProps) {
  const [users, setUsers] = useState(props.users);
  const [resetting, setResetting] = useState<number | null>(null);

  const { busy, message, run } = useReloadingAction(async () => {
    setUsers(await browserClient().users.list.query());
  });

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get("username"));
    const ok = await run(
      () =>
        browserClient().users.create.mutate({
          username,
          displayName: String(data.get("displayName") ?? ""),
          role: String(data.get("role")) as Role,
          password: String(data.get("password")),
        }),
      `Created ${username}`,
    );
    if (ok) form.reset();
  }

  async function reset(event: Event, user: UserAdminRow) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const ok = await run(
      () =>
        browserClient().users.resetPassword.mutate({ id: user.id, password: String(data.get("password")) }),
      `New password set for ${user.username}; their sessions ended`,
    );
    if (ok) setResetting(null);
  }

  return (
    <div class="admin">
      <Notice message={message} />
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>State</th>
              <th>Last sign-in</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-username={user.username}>
                <td>
                  {user.username}
                  {user.displayName && <span class="muted">{user.displayName}</span>}
                </td>
                <td>
                  <select
                    aria-label={`Role of ${user.username}`}
                    value={user.role}
                    disabled={busy}
                    onChange={(event) => {
                      const role = (event.currentTarget as HTMLSelectElement).value as Role;
                      run(
                        () => browserClient().users.setRole.mutate({ id: user.id, role }),
                        `${user.username} is now ${role}`,
                      );
                    }}
                  >
                    {roles.map((role) => <option key={role} value={role}>{role}</option>)}
                  </select>
                </td>
                <td>
                  {user.isDisabled ? "disabled" : `active · ${countOf(user.activeSessions, "session")}`}
                </td>
                <td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : "never"}</td>
                <td class="actions">
                  <button
                    type="button"
                    disabled={busy || (user.id === props.currentUserId && !user.isDisabled)}
                    onClick={() =>
                      run(
                        () =>
                          browserClient().users.setDisabled.mutate({
                            id: user.id,
                            disabled: !user.isDisabled,
                          }),
                        `${user.username} ${user.isDisabled ? "enabled" : "disabled"}`,
                      )}
                  >
                    {user.isDisabled ? "Enable" : "Disable"}
                  </button>
                  {resetting === user.id
                    ? (
                      <form class="inline-form" onSubmit={(event) => reset(event, user)}>
                        <NewPasswordInput label={`New password for ${user.username}`} />
                        <button type="submit" disabled={busy}>Set</button>
                        <button type="button" class="secondary" onClick={() => setResetting(null)}>
                          Cancel
                        </button>
                      </form>
                    )
                    : (
                      <button type="button" disabled={busy} onClick={() => setResetting(user.id)}>
                        Reset password
                      </button>
                    )}
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy}
                    title="Lets addresses that failed to sign in to this account try again at once"
                    onClick={() =>
                      run(
                        () => browserClient().users.clearSignInThrottle.mutate({ id: user.id }),
                        `Sign-in waits cleared for ${user.username}`,
                      )}
                  >
                    Clear sign-in waits
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>New user</h2>
      <form class="admin-form" onSubmit={create}>
        <label>
          Username
          <input name="username" required minLength={2} maxLength={64} pattern="[A-Za-z0-9._\-]+" />
        </label>
        <label>
          Display name
          <input name="displayName" maxLength={100} />
        </label>
        <label>
          Role
          <select name="role">
            {roles.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
        </label>
        <label>
          Password (at least 12 characters)
          <NewPasswordInput />
        </label>
        <button type="submit" disabled={busy}>Create user</button>
      </form>
    </div>
  );
}

/**
 * A new password's field, with the server's length rules (`server/shared/password_strength.ts`; not imported
 * here, since it would bundle zxcvbn into the island).
 */
function NewPasswordInput(props: { label?: string }) {
  return (
    <input
      name="password"
      type="password"
      autocomplete="new-password"
      minLength={12}
      maxLength={256}
      required
      aria-label={props.label}
    />
  );
}
