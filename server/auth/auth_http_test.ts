import assert from "node:assert/strict";
import { forgetCachedCallers } from "./caller_cache.ts";
import {
  fixturePassword,
  type Session,
  sessionFrom,
  signInOverHttp,
  startAuthTestApp,
} from "./_auth_fixtures.ts";
import { signInLimits } from "./login_throttle.ts";

const json = { "content-type": "application/json" };

Deno.test("auth over HTTP: sessions, tokens, CSRF, throttling and JSON errors", async (t) => {
  const app = await startAuthTestApp();
  const { sql } = app.services.db;
  const me = async (headers: Record<string, string>) => {
    const response = await app.fetch("/api/v1/auth/me", { headers });
    return (await response.json()) as { username: string; role: string } | null;
  };
  try {
    await t.step(
      "sign-in sets an HttpOnly SameSite=Lax cookie holding a token stored only hashed",
      async () => {
        const response = await app.fetch("/api/v1/auth/login", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ username: "analyst", password: fixturePassword }),
        });
        assert.equal(response.status, 200);
        const body = await response.json();
        assert.equal(body.user.username, "analyst");
        assert.equal(body.role, "analyst");
        const session = response.headers.getSetCookie().find((line) => line.startsWith("techmart_session="));
        assert.ok(session, "a session cookie is set");
        assert.match(session, /HttpOnly/i);
        assert.match(session, /SameSite=Lax/i);
        assert.doesNotMatch(session, /Secure/i, "plain HTTP cannot carry a Secure cookie");
        const token = decodeURIComponent(session.split(";")[0].split("=")[1]);
        const rows = await sql`select 1 from sessions where token_hash = ${token}`;
        assert.equal(rows.length, 0, "the clear token is not in the database");
        assert.equal((await me({ cookie: `techmart_session=${token}` }))?.username, "analyst");
      },
    );

    await t.step("a wrong password gets 401 JSON with the same message as an unknown user", async () => {
      const attempt = async (username: string) => {
        const response = await app.fetch("/api/v1/auth/login", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ username, password: "not the password at all" }),
        });
        assert.equal(response.status, 401);
        assert.match(response.headers.get("content-type") ?? "", /json/);
        return (await response.json()).error.message;
      };
      assert.equal(await attempt("manager"), await attempt("nobody-by-this-name"));
    });

    await t.step("signing in again rotates the session: the old token stops working", async () => {
      const first = await signInOverHttp(app, "viewer");
      const second = await signInOverHttp(app, "viewer", fixturePassword, first);
      assert.notEqual(first.cookie, second.cookie);
      assert.equal(await me({ cookie: first.cookie }), null);
      assert.equal((await me({ cookie: second.cookie }))?.username, "viewer");
    });

    await t.step("an expired session is anonymous, and an active one slides its expiry forward", async () => {
      const session = await signInOverHttp(app, "manager");
      await sql`update sessions set last_seen_at = now() - interval '2 hours',
        expires_at = now() + interval '5 minutes'
        where user_id = (select id from users where username = 'manager')`;
      assert.equal((await me({ cookie: session.cookie }))?.username, "manager");
      const [slid] = await sql<[{ minutes: number }]>`
        select extract(epoch from (expires_at - now())) / 60 as minutes from sessions
        where user_id = (select id from users where username = 'manager')`;
      assert.ok(slid.minutes > 60, `expiry moved forward (now ${Math.round(slid.minutes)} minutes away)`);
      await sql`update sessions set expires_at = now() - interval '1 second'
        where user_id = (select id from users where username = 'manager')`;
      // Time passed straight in the database: the app's short cache of callers would see it in 5 s
      forgetCachedCallers(app.services);
      assert.equal(await me({ cookie: session.cookie }), null);
    });

    await t.step("logout ends the session and clears the cookie", async () => {
      const session = await signInOverHttp(app, "analyst");
      const response = await app.fetch("/api/v1/auth/logout", { method: "POST", headers: session.headers() });
      assert.equal(response.status, 200);
      assert.ok(response.headers.getSetCookie().some((line) => /^techmart_session=;/.test(line)));
      assert.equal(await me({ cookie: session.cookie }), null);
    });

    await t.step("log out everywhere ends every session of the user and no one else's", async () => {
      const laptop = await signInOverHttp(app, "admin");
      const phone = await signInOverHttp(app, "admin");
      const other = await signInOverHttp(app, "analyst");
      const response = await app.fetch("/api/v1/auth/logout-everywhere", {
        method: "POST",
        headers: laptop.headers(),
      });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).sessionsEnded, 2);
      assert.equal(await me({ cookie: laptop.cookie }), null);
      assert.equal(await me({ cookie: phone.cookie }), null);
      assert.equal((await me({ cookie: other.cookie }))?.username, "analyst");
      const [audit] = await sql`select actor_name from audit_log where action = 'auth.logout_everywhere'`;
      assert.equal(audit.actor_name, "admin");
    });

    let admin: Session;
    await t.step("a cross-site POST riding on the session cookie is refused", async () => {
      admin = await signInOverHttp(app, "admin");
      const body = JSON.stringify({ name: "evil", role: "admin" });
      const crossSite = await app.fetch("/api/v1/auth/tokens", {
        method: "POST",
        headers: admin.headers({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
        body,
      });
      assert.equal(crossSite.status, 403);
      assert.match((await crossSite.json()).error.message, /Cross-site/);
      const noToken = await app.fetch("/api/v1/auth/tokens", {
        method: "POST",
        headers: { cookie: admin.cookie, "content-type": "application/json" },
        body,
      });
      assert.equal(noToken.status, 403);
      assert.match((await noToken.json()).error.message, /CSRF token/);
      const wrongToken = await app.fetch("/trpc/auth.logoutEverywhere", {
        method: "POST",
        headers: admin.headers({ "x-csrf-token": "x".repeat(32) }),
      });
      assert.equal(wrongToken.status, 403);
      const [{ count }] = await sql<[{ count: number }]>`select count(*)::int as count from api_tokens`;
      assert.equal(count, 0, "nothing was created");
      assert.ok(await me({ cookie: admin.cookie }), "the admin is still signed in");
    });

    await t.step(
      "an admin creates a token shown once, which works for tRPC and REST until revoked",
      async () => {
        const created = await app.fetch("/api/v1/auth/tokens", {
          method: "POST",
          headers: admin.headers(),
          body: JSON.stringify({ name: "reporting script", role: "viewer" }),
        });
        assert.equal(created.status, 201);
        const { id, token } = await created.json();
        assert.ok(Number.isInteger(id));
        assert.match(token, /^tm_[A-Za-z0-9_-]{40,}$/);
        const [stored] = await sql`select token_hash from api_tokens where id = ${id}`;
        assert.notEqual(stored.token_hash, token);
        const listed = await (await app.fetch("/api/v1/auth/tokens", { headers: admin.headers() })).text();
        assert.ok(!listed.includes(token), "lists never show the secret");

        const bearer = { authorization: `Bearer ${token}` };
        assert.deepEqual(await me(bearer), {
          username: "token:reporting script",
          role: "viewer",
          via: "token",
        });
        const trpc = await app.fetch("/trpc/dashboard.overview", { headers: bearer });
        assert.equal(trpc.status, 200);
        const mutation = await app.fetch("/trpc/auth.logoutEverywhere", { method: "POST", headers: bearer });
        assert.notEqual(mutation.status, 403, "bearer requests need no CSRF token");

        const revoked = await app.fetch(`/api/v1/auth/tokens/${id}`, {
          method: "DELETE",
          headers: admin.headers(),
        });
        assert.equal(revoked.status, 200);
        assert.equal(await me(bearer), null);
        const after = await app.fetch("/trpc/dashboard.overview", { headers: bearer });
        assert.equal(after.status, 401);
        const again = await app.fetch(`/api/v1/auth/tokens/${id}`, {
          method: "DELETE",
          headers: admin.headers(),
        });
        assert.equal(again.status, 409);
      },
    );

    await t.step("anonymous API calls get 401 JSON; a role too low gets 403 JSON", async () => {
      const anonymous = await app.fetch("/api/v1/auth/tokens");
      assert.equal(anonymous.status, 401);
      assert.equal((await anonymous.json()).error.code, "UNAUTHORIZED");
      const anonymousTrpc = await app.fetch("/trpc/dashboard.overview");
      assert.equal(anonymousTrpc.status, 401);
      assert.match(anonymousTrpc.headers.get("content-type") ?? "", /json/);
      const viewer = await signInOverHttp(app, "viewer");
      const forbidden = await app.fetch("/api/v1/auth/tokens", {
        method: "POST",
        headers: viewer.headers(),
        body: JSON.stringify({ name: "sneaky", role: "admin" }),
      });
      assert.equal(forbidden.status, 403);
      assert.equal((await forbidden.json()).error.code, "FORBIDDEN");
      const forbiddenTrpc = await app.fetch("/trpc/users.list", { headers: { cookie: viewer.cookie } });
      assert.equal(forbiddenTrpc.status, 403);
    });

    await t.step("REST procedures take bearer tokens; pages send a role too low to a 403 page", async () => {
      const created = await app.fetch("/api/v1/auth/tokens", {
        method: "POST",
        headers: admin.headers(),
        body: JSON.stringify({ name: "rest client", role: "viewer" }),
      });
      const { token } = await created.json();
      const rest = await app.fetch("/api/v1/dashboard/overview", {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(rest.status, 200);
      await rest.body?.cancel();
      const anonymous = await app.fetch("/api/v1/dashboard/overview");
      assert.equal(anonymous.status, 401);
      assert.equal((await anonymous.json()).error.code, "UNAUTHORIZED");
      const tooLow = await app.fetch("/api/v1/users", { headers: { authorization: `Bearer ${token}` } });
      assert.equal(tooLow.status, 403);
      assert.equal((await tooLow.json()).error.code, "FORBIDDEN");
      const viewer = await signInOverHttp(app, "viewer");
      const page = await app.fetch("/admin/users", { headers: { cookie: viewer.cookie } });
      assert.equal(page.status, 403);
      const refusal = await page.text();
      assert.match(refusal, /needs the admin role; you are signed in with the viewer role\./);
      assert.doesNotMatch(refusal, /viewer \(viewer\)/);
      const signedOut = await app.fetch("/admin/users", { redirect: "manual" });
      assert.equal(signedOut.status, 303);
      assert.equal(signedOut.headers.get("location"), "/login?next=%2Fadmin%2Fusers");
    });

    await t.step(
      "a stranger cannot lock the admin out; the stranger's own address waits (finding 7)",
      async () => {
        // test clients bound to other loopback addresses, as the server sees them
        const from = (ip: string) => Deno.createHttpClient({ localAddress: ip });
        const attacker = from("127.0.0.2");
        const owner = from("127.0.0.3");
        const login = (client: Deno.HttpClient, password: string) =>
          app.fetch("/api/v1/auth/login", {
            method: "POST",
            headers: json,
            body: JSON.stringify({ username: "admin", password }),
            client,
          } as RequestInit);
        try {
          const statuses: number[] = [];
          let lastRefusal: Response | null = null;
          for (let i = 0; i < 50; i++) {
            const response = await login(attacker, "wrong password " + i);
            statuses.push(response.status);
            if (response.status === 429) lastRefusal = response;
            else await response.body?.cancel();
          }
          const failures = signInLimits.pairFreeFailures + 1;
          assert.deepEqual(statuses.slice(0, failures), Array(failures).fill(401));
          assert.ok(statuses.slice(failures).every((status) => status === 429), statuses.join(","));
          assert.ok(lastRefusal);
          assert.ok(Number(lastRefusal.headers.get("retry-after")) > 0);
          assert.match(
            (await lastRefusal.json()).error.message,
            /from your address: try again in \d+ second/,
          );
          const stillWaiting = await login(attacker, fixturePassword);
          assert.equal(stillWaiting.status, 429, "the attacker's address waits even with the right password");
          await stillWaiting.body?.cancel();

          const ownerSignIn = await login(owner, fixturePassword);
          assert.equal(ownerSignIn.status, 200, "the admin signs in from another address at once");
          const admin = sessionFrom(ownerSignIn.headers.getSetCookie(), (await ownerSignIn.json()).csrfToken);
          const [{ id }] = await sql<[{ id: number }]>`select id from users where username = 'admin'`;
          const viewer = await signInOverHttp(app, "viewer");
          const clear = (session: Session) =>
            app.fetch(`/api/v1/users/${id}/clear-sign-in-throttle`, {
              method: "POST",
              headers: session.headers(),
              body: "{}",
            });
          const refused = await clear(viewer);
          assert.equal(refused.status, 403);
          await refused.body?.cancel();
          const cleared = await clear(admin);
          assert.equal(cleared.status, 200);
          assert.ok((await cleared.json()).cleared > 0);
          const [audit] = await sql`select 1 from audit_log where action = 'user.sign_in_throttle_cleared'`;
          assert.ok(audit, "clearing is audited");
          const afterClear = await login(attacker, fixturePassword);
          assert.equal(afterClear.status, 200, "after an admin cleared it, the address may try again");
          await afterClear.body?.cancel();
        } finally {
          attacker.close();
          owner.close();
        }
      },
    );

    await t.step("the sign-in form redirects to the page asked for, and only to a local one", async () => {
      const form = (next: string) =>
        app.fetch("/login", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username: "viewer", password: fixturePassword, next }),
          redirect: "manual",
        });
      const local = await form("/?range=7d");
      assert.equal(local.status, 303);
      assert.equal(local.headers.get("location"), "/?range=7d");
      const offsite = await form("//evil.example/");
      assert.equal(offsite.headers.get("location"), "/");
      const wrong = await app.fetch("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: "viewer", password: "nope nope nope", next: "/" }),
      });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /Wrong username or password/);
    });
  } finally {
    await app.stop();
  }
});

Deno.test("rate limits answer 429 with Retry-After; HTTPS gets a Secure cookie; CORS opens only listed origins", async () => {
  const app = await startAuthTestApp({
    RATE_LIMIT_PER_MINUTE: "3",
    PUBLIC_URL: "https://shop.example",
    CORS_ORIGINS: "https://partner.example",
  });
  try {
    const login = await app.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ username: "viewer", password: fixturePassword }),
    });
    const cookie = login.headers.getSetCookie().find((line) => line.startsWith("__Host-techmart_session="));
    assert.match(cookie ?? "", /; Secure/, "served as https://..., the cookie is Secure");
    assert.match(cookie ?? "", /; Path=\//, "a __Host- cookie is for the whole host");
    const session = sessionFrom(login.headers.getSetCookie(), (await login.json()).csrfToken);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await app.fetch("/api/v1/auth/me", { headers: { cookie: session.cookie } });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    assert.ok(limited, `one of ${statuses.join(",")} is 429`);
    const preflight = (origin: string) =>
      app.fetch("/api/v1/dashboard/overview", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
    const partner = await preflight("https://partner.example");
    assert.equal(partner.headers.get("access-control-allow-origin"), "https://partner.example");
    assert.equal(partner.headers.get("access-control-allow-credentials"), null, "never with cookies");
    const stranger = await preflight("https://stranger.example");
    assert.equal(stranger.headers.get("access-control-allow-origin"), null, "CORS is closed to others");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal((await limited.json()).error.code, "TOO_MANY_REQUESTS");
  } finally {
    await app.stop();
  }
});

Deno.test("behind a trusted proxy, sign-in waits follow the forwarded client, and a forged header changes nothing", async () => {
  const app = await startAuthTestApp({ TRUSTED_PROXIES: "127.0.0.1" });
  const login = (forwardedFor: string, password: string) =>
    app.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { ...json, "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ username: "admin", password }),
    });
  try {
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) {
      const response = await login("203.0.113.9", "wrong " + i);
      status = response.status;
      await response.body?.cancel();
    }
    assert.equal(status, 429, "the forwarded attacker waits");
    const forged = await login("198.51.100.7, 203.0.113.9", fixturePassword);
    assert.equal(forged.status, 429, "a client-written left part does not change the address");
    await forged.body?.cancel();
    const owner = await login("198.51.100.7", fixturePassword);
    assert.equal(owner.status, 200, "another client behind the same proxy signs in");
    await owner.body?.cancel();
    const [failure] = await app.services.db.sql<[{ ip: string }]>`
      select ip::text as ip from audit_log where action = 'auth.login_failed' order by id limit 1`;
    assert.match(failure.ip, /^203\.0\.113\.9/);
  } finally {
    await app.stop();
  }
});
