import type { Caller } from "../server/trpc/roles.ts";

export interface UserMenuProps {
  caller: Caller;
}

/**
 * The signed-in user's menu: who they are, the admin pages for admins, and sign-out forms. A
 * `<details>` element, so it opens without any script; the forms carry the CSRF token.
 */
export function UserMenu({ caller }: UserMenuProps) {
  return (
    <details class="user-menu">
      <summary class="user" data-testid="user-menu">{caller.username} · {caller.role}</summary>
      <div class="user-menu-panel">
        {caller.via === "session" && (
          <ul class="user-menu-links" aria-label="Your account">
            <li>
              <a href="/account">Change password</a>
            </li>
          </ul>
        )}
        {caller.role === "admin" && (
          <ul class="user-menu-links" aria-label="Administration">
            <li>
              <a href="/admin/users">Users</a>
            </li>
            <li>
              <a href="/admin/tokens">API tokens</a>
            </li>
            <li>
              <a href="/admin/audit">Audit log</a>
            </li>
            <li>
              <a href="/admin/jobs">Jobs</a>
            </li>
            <li>
              <a href="/admin/import">Import</a>
            </li>
            <li>
              <a href="/admin/integrations">Integrations</a>
            </li>
          </ul>
        )}
        {caller.via === "session" && (
          <>
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={caller.csrfToken ?? ""} />
              <button type="submit">Sign out</button>
            </form>
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={caller.csrfToken ?? ""} />
              <input type="hidden" name="scope" value="everywhere" />
              <button type="submit" class="secondary">Sign out everywhere</button>
            </form>
          </>
        )}
      </div>
    </details>
  );
}
