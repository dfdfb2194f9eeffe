import assert from "node:assert/strict";
import { fixturePassword, signInOverHttp, startAuthTestApp } from "./_auth_fixtures.ts";

Deno.test("the audit log says what happened in words, and its filter offers those words for the stored codes", async () => {
  const app = await startAuthTestApp();
  try {
    const failed = await app.fetch("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "viewer", password: `${fixturePassword} wrong` }),
    });
    assert.equal(failed.status, 401);
    const admin = await signInOverHttp(app, "admin");
    const page = (query: string) =>
      app.fetch(`/admin/audit${query}`, { headers: { cookie: admin.cookie } }).then((r) => r.text());
    const whats = (html: string) =>
      [...html.matchAll(/<td data-action="([^"]+)">([^<]*)<\/td>/g)].map((match) => [match[1], match[2]]);

    const all = await page("");
    assert.deepEqual(whats(all), [["auth.login", "Signed in"], ["auth.login_failed", "Sign-in failed"]]);
    assert.match(all, /<option value="auth.login"[^>]*>Signed in<\/option>/);
    assert.match(all, /<optgroup label="Users and API tokens">/);
    // a chosen action is that action only ("auth.login" no longer also finds "auth.login_failed")
    const chosen = await page("?action=auth.login");
    assert.deepEqual(whats(chosen), [["auth.login", "Signed in"]]);
    assert.match(chosen, /<option selected value="auth.login">Signed in<\/option>/);
    // any other text is still the beginning of an action, as links made before said
    assert.deepEqual(whats(await page("?action=auth.")).length, 2);

    // the record is named as pages name it (here a user by their name), looked up when the log is read
    const created = await app.fetch("/api/v1/users", {
      method: "POST",
      headers: admin.headers(),
      body: JSON.stringify({ username: "rita.audit", password: `${fixturePassword} rita`, role: "viewer" }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    const listed = await app.fetch("/api/v1/audit?actionIs=user.created", {
      headers: { cookie: admin.cookie },
    });
    const [entry] = (await listed.json()).items;
    assert.deepEqual([entry.entityType, entry.entityId, entry.entityName], [
      "user",
      String(id),
      "rita.audit",
    ]);
    assert.match(await page("?action=user.created"), /<td>User rita\.audit<\/td>/);
    // a sign-in's record is the user who signed in
    const [login] = (await (await app.fetch("/api/v1/audit?actionIs=auth.login", {
      headers: { cookie: admin.cookie },
    })).json()).items;
    assert.deepEqual([login.entityType, login.entityName], ["user", "admin"]);
  } finally {
    await app.stop();
  }
});
