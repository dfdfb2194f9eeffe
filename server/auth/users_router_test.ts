import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { openTestServices } from "../testing/test_services.ts";
import { fixturePassword, insertRoleUsers } from "./_auth_fixtures.ts";
import { recordAudit } from "./audit.ts";
import { createSession, findSessionCaller } from "./sessions.ts";
import { signIn } from "./sign_in.ts";

async function rejects(promise: Promise<unknown>, code: TRPCError["code"], message?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TRPCError, String(error));
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

Deno.test("user administration: create, roles, disable, reset — each audited", async (t) => {
  const { services, api, close } = await openTestServices();
  const { sql } = services.db;
  const ids = await insertRoleUsers(services);
  const admin = api("admin", { userId: ids.admin, username: "admin" });
  try {
    await t.step(
      "an admin creates a user who can then sign in; a taken name in any case is a conflict",
      async () => {
        const { id } = await admin.users.create({
          username: "Dana",
          role: "analyst",
          password: "dana's long password",
        });
        const listed = (await admin.users.list()).find((user) => user.id === id);
        assert.equal(listed?.role, "analyst");
        assert.equal("passwordHash" in (listed ?? {}), false, "no hash leaves the server");
        const result = await signIn(services, {
          username: "dana",
          password: "dana's long password",
          ip: "10.0.0.5",
        });
        assert.equal(result.status, "ok");
        await rejects(
          admin.users.create({ username: "DANA", role: "viewer", password: "another password!" }),
          "CONFLICT",
        );
        await rejects(
          admin.users.create({ username: "eve", role: "viewer", password: "short" }),
          "BAD_REQUEST",
        );
      },
    );

    await t.step("the last active admin cannot be demoted or disabled", async () => {
      await rejects(admin.users.setRole({ id: ids.admin, role: "viewer" }), "CONFLICT", /last active admin/);
      await rejects(
        admin.users.setDisabled({ id: ids.admin, disabled: true }),
        "CONFLICT",
        /last active admin/,
      );
      await admin.users.setRole({ id: ids.manager, role: "admin" });
      await admin.users.setRole({ id: ids.admin, role: "manager" });
      const roles = Object.fromEntries((await admin.users.list()).map((user) => [user.username, user.role]));
      assert.equal(roles.admin, "manager");
      assert.equal(roles.manager, "admin");
    });

    await t.step("a role change applies to the user's live session at once", async () => {
      const session = await createSession(sql, ids.viewer);
      assert.equal((await findSessionCaller(sql, session.token))?.role, "viewer");
      await admin.users.setRole({ id: ids.viewer, role: "analyst" });
      assert.equal((await findSessionCaller(sql, session.token))?.role, "analyst");
    });

    await t.step("disabling a user ends their sessions and refuses their sign-in", async () => {
      const session = await createSession(sql, ids.spare);
      const result = await admin.users.setDisabled({ id: ids.spare, disabled: true });
      assert.equal(result.sessionsEnded, 1);
      assert.equal(await findSessionCaller(sql, session.token), null);
      const attempt = await signIn(services, {
        username: "spare",
        password: fixturePassword,
        ip: "10.0.0.6",
      });
      assert.equal(attempt.status, "disabled");
      await admin.users.setDisabled({ id: ids.spare, disabled: false });
      const again = await signIn(services, { username: "spare", password: fixturePassword, ip: "10.0.0.6" });
      assert.equal(again.status, "ok");
    });

    await t.step("a password reset ends the user's sessions; the old password stops working", async () => {
      const session = await createSession(sql, ids.analyst);
      await admin.users.resetPassword({ id: ids.analyst, password: "a brand new password" });
      assert.equal(await findSessionCaller(sql, session.token), null);
      const old = await signIn(services, { username: "analyst", password: fixturePassword, ip: "10.0.0.7" });
      assert.equal(old.status, "invalid");
      const fresh = await signIn(services, {
        username: "analyst",
        password: "a brand new password",
        ip: "10.0.0.7",
      });
      assert.equal(fresh.status, "ok");
      await rejects(admin.users.resetPassword({ id: 999_999, password: "whatever password" }), "NOT_FOUND");
    });

    await t.step("the audit log lists who did what to which user, filterable", async () => {
      const page = await admin.audit.list({ entityType: "user", action: "user.role_changed", limit: 50 });
      assert.ok(page.items.length >= 3);
      assert.ok(
        page.items.every((entry) => entry.action === "user.role_changed" && entry.actorName === "admin"),
      );
      const viewerChange = page.items.find((entry) => entry.entityId === String(ids.viewer));
      assert.deepEqual(viewerChange?.details, { username: "viewer", from: "viewer", to: "analyst" });
      const firstPage = await admin.audit.list({ limit: 2 });
      assert.equal(firstPage.items.length, 2);
      assert.ok(firstPage.nextCursor);
      const secondPage = await admin.audit.list({ limit: 2, cursor: firstPage.nextCursor });
      assert.ok(secondPage.items.every((entry) => entry.id < firstPage.items[1].id), "older entries follow");
    });

    await t.step("recordAudit() takes test callers without a user row, and the system (null)", async () => {
      await sql.begin(async (tx) => {
        await recordAudit(tx, {
          caller: { userId: 0, username: "test-manager", role: "manager", via: "session" },
          action: "product.updated",
          entityType: "product",
          entityId: 42,
          details: { priceCents: { from: 1000, to: 1200 } },
        });
        await recordAudit(tx, {
          caller: null,
          action: "job.ran",
          entityType: "job",
          entityId: "refresh-views",
        });
      });
      const product = await admin.audit.list({ entityType: "product", entityId: "42", limit: 5 });
      assert.equal(product.items[0].actorName, "test-manager");
      const system = await admin.audit.list({ actor: "system", action: "job.", limit: 5 });
      assert.equal(system.items[0].actorVia, "system");
    });
  } finally {
    await close();
  }
});
