/// <reference lib="dom" />
import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { FormMessage, InputField } from "../components/Field.tsx";
import { type FieldErrors, serverErrorOf } from "../components/form_errors.ts";

export interface ChangePasswordProps {
  username: string;
  minLength: number;
}

/**
 * "Change your password": the current password, the new one twice. The server checks the current
 * password and the new one's strength; the user's other sessions end, this one stays.
 */
export default function ChangePassword(props: ChangePasswordProps) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const currentPassword = String(data.get("currentPassword") ?? "");
    const newPassword = String(data.get("newPassword") ?? "");
    const local: FieldErrors = {};
    if (!currentPassword) local.currentPassword = "Enter your current password";
    if (newPassword.length < props.minLength) {
      local.newPassword = `Password must be at least ${props.minLength} characters`;
    }
    if (newPassword !== String(data.get("confirmPassword") ?? "")) {
      local.confirmPassword = "The two new passwords are not the same";
    }
    setErrors(local);
    setMessage(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const { otherSessionsEnded } = await browserClient().auth.changePassword.mutate({
        currentPassword,
        newPassword,
      });
      form.reset();
      setMessage({
        kind: "ok",
        text: `Password changed. ${
          otherSessionsEnded === 1 ? "1 other session was" : `${otherSessionsEnded} other sessions were`
        } signed out.`,
      });
    } catch (failure) {
      const server = serverErrorOf(failure);
      setErrors(server.fields);
      setMessage({
        kind: "error",
        text: Object.keys(server.fields).length ? "Check the highlighted fields" : server.message,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel-form" onSubmit={submit} noValidate data-testid="change-password">
      {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      {/* lets password managers tie the new password to the account */}
      <input type="text" name="username" value={props.username} autocomplete="username" hidden readOnly />
      <InputField
        label="Current password"
        name="currentPassword"
        idPrefix="account"
        type="password"
        autoComplete="current-password"
        required
        error={errors.currentPassword}
      />
      <InputField
        label="New password"
        name="newPassword"
        idPrefix="account"
        type="password"
        autoComplete="new-password"
        minLength={props.minLength}
        required
        hint={`At least ${props.minLength} characters; a few words you will remember work well`}
        error={errors.newPassword}
      />
      <InputField
        label="New password again"
        name="confirmPassword"
        idPrefix="account"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirmPassword}
      />
      <div class="form-actions">
        <button type="submit" disabled={busy}>{busy ? "Changing…" : "Change password"}</button>
      </div>
    </form>
  );
}
