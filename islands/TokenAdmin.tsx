import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { type Role, roles } from "../server/trpc/roles.ts";
import { formatDateTime } from "../server/shared/format.ts";
import { ConfirmButton } from "./_confirm_button.tsx";
import { CopyButton } from "./_copy_button.tsx";

/** One API token as `tokens.list` answers it (never the secret). */
export type TokenAdminRow = RouterOutputs["tokens"]["list"][number];

export interface TokenAdminProps {
  tokens: RouterOutputs["tokens"]["list"];
}

function when(at: Date | null, otherwise: string): string {
  return at ? formatDateTime(at) : otherwise;
}

/** Admin > API tokens: create (the secret is shown once), list and revoke. */
export default function TokenAdmin(props: TokenAdminProps) {
  const [tokens, setTokens] = useState(props.tokens);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    setTokens(await browserClient().tokens.list.query());
  }

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const expires = String(data.get("expiresAt") ?? "");
    setBusy(true);
    setError(null);
    try {
      const created = await browserClient().tokens.create.mutate({
        name: String(data.get("name")),
        role: String(data.get("role")) as Role,
        expiresAt: expires ? new Date(`${expires}T23:59:59`) : null,
      });
      setSecret({ name: created.name, token: created.token });
      form.reset();
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: TokenAdminRow) {
    setBusy(true);
    setError(null);
    try {
      await browserClient().tokens.revoke.mutate({ id: token.id });
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="admin">
      {error && <p class="form-error" role="alert">{error}</p>}
      {secret && (
        <div class="notice token-secret" role="status">
          <p>
            Token <strong>{secret.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <p class="secret-line">
            <code data-testid="new-token" id="new-token">{secret.token}</code>
            <CopyButton text={secret.token} label="Copy token" selectId="new-token" />
          </p>
          <p class="muted">
            Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </div>
      )}
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr>
                <td colSpan={7} class="muted">No API tokens yet</td>
              </tr>
            )}
            {tokens.map((token) => (
              <tr key={token.id} class={token.revokedAt ? "muted" : undefined}>
                <td>{token.name}</td>
                <td>{token.role}</td>
                <td>
                  <code>{token.tokenPrefix}…</code>
                </td>
                <td>{when(token.createdAt, "")} {token.createdBy && `by ${token.createdBy}`}</td>
                <td>{when(token.expiresAt, "never")}</td>
                <td>{when(token.lastUsedAt, "never")}</td>
                <td>
                  {token.revokedAt ? `revoked ${when(token.revokedAt, "")}` : (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke ${token.name}? Programs using it stop working at once.`}
                      disabled={busy}
                      onConfirm={() => revoke(token)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>New API token</h2>
      <form class="admin-form" onSubmit={create}>
        <label>
          Name (what uses it)
          <input name="name" required maxLength={100} />
        </label>
        <label>
          Role
          <select name="role">
            {roles.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
        </label>
        <label>
          Expires on (optional)
          <input name="expiresAt" type="date" />
        </label>
        <button type="submit" disabled={busy}>Create token</button>
      </form>
    </div>
  );
}
