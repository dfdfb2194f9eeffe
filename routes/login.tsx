import { safeNextPath } from "../server/auth/safe_next.ts";
import type { LoginData, PageContext, PageProps } from "../server/http/pages/page.ts";

export const config = { title: "Sign in", minRole: "public" } as const;

/** What the sign-in page shows; the form handler fills `error` after a failed attempt. */
export type { LoginData };

export function load(ctx: PageContext): Promise<LoginData> {
  const params = ctx.url.searchParams;
  return Promise.resolve({
    next: safeNextPath(params.get("next")),
    username: "",
    error: null,
    notice: params.has("signedOut")
      ? "You are signed out."
      : params.has("next")
      ? "Sign in to continue."
      : null,
    signedInAs: ctx.caller ? `${ctx.caller.username} (${ctx.caller.role})` : null,
  });
}

/** The sign-in form: a plain HTML form, so it works before (and without) any script. */
export default function LoginPage({ data }: PageProps<LoginData>) {
  return (
    <section class="login">
      {data.signedInAs && (
        <p class="notice">
          You are signed in as {data.signedInAs}. <a href={data.next}>Continue</a>
        </p>
      )}
      {data.notice && !data.error && <p class="notice" role="status">{data.notice}</p>}
      {data.error && <p class="form-error" role="alert" id="login-error">{data.error}</p>}
      <form method="post" action="/login" class="login-form">
        <input type="hidden" name="next" value={data.next} />
        <label>
          Username
          <input
            name="username"
            autocomplete="username"
            required
            maxLength={64}
            value={data.username}
            autofocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxLength={256}
            aria-describedby={data.error ? "login-error" : undefined}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
