import assert from "node:assert/strict";
import { openTestServices } from "../testing/test_services.ts";
import { fixturePassword, insertRoleUsers } from "./_auth_fixtures.ts";
import { createSession } from "./sessions.ts";
import { signIn } from "./sign_in.ts";
import { runUsersCommand } from "./users_cli.ts";

Deno.test("deno task users: list, add and reset-password work on the database, each audited", async (t) => {
  const { services, close } = await openTestServices();
  const { sql } = services.db;
  const ids = await insertRoleUsers(services);
  let printed: string[] = [];
  let stdin: string | null = null;
  const run = (...args: string[]) => {
    printed = [];
    return runUsersCommand(args, {
      sql,
      print: (line) => printed.push(line),
      readPassword: () => Promise.resolve(stdin),
    });
  };
  const signsIn = async (username: string, password: string) =>
    (await signIn(services, { username, password, ip: "10.9.9.9" })).status === "ok";
  try {
    await t.step("reset-password gives a lost admin a new password and ends their sessions", async () => {
      await createSession(sql, ids.admin);
      assert.equal(await run("reset-password", "admin"), 0);
      const password = /^New password for admin: (\S+)$/.exec(printed[0])?.[1];
      assert.ok(password, printed.join("\n"));
      assert.equal(printed[1], "1 session(s) ended");
      assert.equal(await signsIn("admin", password), true);
      assert.equal(await signsIn("admin", fixturePassword), false, "the old password no longer works");
      const adminId = String(ids.admin);
      const [audit] = await sql`
        select action, actor_name from audit_log
        where entity_id = ${adminId} and action like 'user.%' order by id desc limit 1`;
      assert.deepEqual({ ...audit }, { action: "user.password_reset", actor_name: "system" });
    });

    await t.step("a password from stdin is strength-checked; a weak one changes nothing", async () => {
      stdin = "password1234\n";
      assert.equal(await run("reset-password", "viewer", "--password-stdin"), 1);
      assert.match(printed[0], /most common passwords.*Nothing was changed/);
      assert.equal(await signsIn("viewer", fixturePassword), true);
      stdin = "correct horse battery staple\n";
      assert.equal(await run("reset-password", "viewer", "--password-stdin"), 0);
      assert.deepEqual(printed[0], "New password for viewer set");
      assert.equal(await signsIn("viewer", "correct horse battery staple"), true);
    });

    await t.step("add creates an account that signs in; list shows it; mistakes are explained", async () => {
      stdin = null;
      assert.equal(await run("add", "erin", "--role", "analyst"), 0);
      const password = /^Created erin \(analyst\) with password: (\S+)$/.exec(printed[0])?.[1];
      assert.ok(password, printed.join("\n"));
      assert.equal(await signsIn("erin", password), true);
      assert.equal(await run("add", "ERIN", "--role", "viewer"), 1, "names are unique in any case");
      assert.equal(await run("add", "frank"), 2);
      assert.match(printed[0], /Give the new account a role/);
      assert.equal(await run("reset-password", "nobody"), 1);
      assert.match(printed[0], /No account named "nobody"/);
      assert.equal(await run("list"), 0);
      assert.ok(
        printed.some((line) => /^erin\s+analyst\s+active\s+last sign-in /.test(line)),
        printed.join("\n"),
      );
      assert.equal(await run("delete", "erin"), 2);
      assert.match(printed[0], /^Usage: deno task users/);
    });
  } finally {
    await close();
  }
});
