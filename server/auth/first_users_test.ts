import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { describeFirstUsers, ensureFirstUsers } from "./first_users.ts";
import { signIn } from "./sign_in.ts";

Deno.test("ensureFirstUsers() creates admin plus one demo user per role, once, with working passwords", async () => {
  const { services, close } = await openTestServices();
  try {
    const created = await ensureFirstUsers(services, { demoUsers: true });
    assert.deepEqual(created.map((user) => [user.username, user.role]), [
      ["admin", "admin"],
      ["viewer", "viewer"],
      ["analyst", "analyst"],
      ["manager", "manager"],
    ]);
    for (const user of created) {
      assert.ok(user.password && user.password.length >= 12, "a generated password is returned to print");
      const result = await signIn(services, {
        username: user.username,
        password: user.password,
        ip: "10.0.0.1",
      });
      assert.equal(result.status, "ok", user.username);
    }
    const again = await ensureFirstUsers(services, { demoUsers: true });
    assert.deepEqual(again, [], "nothing on a second start");
    // a later start still says where to sign in, and the way back in without a password to show
    assert.deepEqual(describeFirstUsers(again, "http://127.0.0.1:8000"), [
      "Sign in at http://127.0.0.1:8000/login with your account (a lost password: deno task users reset-password NAME)",
    ]);
    const lines = describeFirstUsers(created, "http://127.0.0.1:8000");
    assert.match(lines[0], /http:\/\/127\.0\.0\.1:8000\/login/);
    assert.ok(lines.some((line) => line.includes(created[0].password!)));
  } finally {
    await close();
  }
});

Deno.test("ensureFirstUsers() uses ADMIN_PASSWORD without echoing it, and no demo users outside the sample setup", async () => {
  const { services, close } = await openTestServices();
  try {
    const created = await ensureFirstUsers(services, {
      demoUsers: false,
      adminPassword: "operator's own secret",
    });
    assert.deepEqual(created, [{ username: "admin", role: "admin", password: undefined }]);
    assert.doesNotMatch(describeFirstUsers(created, "http://x").join("\n"), /operator's own secret/);
    const result = await signIn(services, {
      username: "admin",
      password: "operator's own secret",
      ip: "10.0.0.1",
    });
    assert.equal(result.status, "ok");
  } finally {
    await close();
  }
});
