import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { openTestServices } from "../testing/test_services.ts";
import { appRouter } from "../api/app_router.ts";
import { createInnerContext } from "../trpc/context.ts";
import { createCallerFactory, type Meta } from "../trpc/init.ts";
import { type Caller, type Role, roleAtLeast, roles } from "../trpc/roles.ts";

// Built from the router itself, so a procedure added later is checked without touching this file
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>,
).sort(([a], [b]) => a.localeCompare(b));

const createCaller = createCallerFactory(appRouter);

type Outcome = "passed" | "UNAUTHORIZED" | "FORBIDDEN";

Deno.test("every procedure declares the least role allowed to call it", () => {
  assert.ok(procedures.length > 5, "the router has procedures");
  const missing = procedures.filter(([, procedure]) => !procedure._def.meta?.minRole).map(([path]) => path);
  assert.deepEqual(missing, [], `procedures without meta.minRole: ${missing.join(", ")}`);
});

Deno.test("role matrix: anonymous gets UNAUTHORIZED, lower roles FORBIDDEN, the minimum role gets through", async (t) => {
  const testServices = await openTestServices();
  const { services } = testServices;

  // Calls one procedure with no input as `caller` and reports whether the access check let it through
  async function outcome(path: string, caller: Caller | null): Promise<Outcome> {
    const controller = new AbortController();
    const api = createCaller(createInnerContext({ services, caller }), { signal: controller.signal });
    // deno-lint-ignore no-explicit-any -- walking the caller proxy by a runtime path
    let target: any = api;
    for (const segment of path.split(".")) target = target[segment];
    try {
      const result = await target(undefined);
      if (result && typeof result[Symbol.asyncIterator] === "function") {
        await result[Symbol.asyncIterator]().return?.();
      }
      return "passed";
    } catch (error) {
      if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN")) {
        return error.code;
      }
      // Any other error (bad input, not found...) happened after the access check let the call in
      return "passed";
    } finally {
      controller.abort();
    }
  }

  const as = (role: Role): Caller => ({ userId: 0, username: `matrix-${role}`, role, via: "session" });
  try {
    for (const [path, procedure] of procedures) {
      const minRole = procedure._def.meta?.minRole;
      await t.step(`${path} (${minRole ?? "no rule"})`, async () => {
        assert.ok(minRole, `${path} declares no meta.minRole`);
        if (minRole === "public") {
          assert.equal(await outcome(path, null), "passed", `${path} is public: anonymous gets in`);
          return;
        }
        assert.equal(await outcome(path, null), "UNAUTHORIZED", `${path}: anonymous`);
        for (const role of roles) {
          const expected: Outcome = roleAtLeast(role, minRole) ? "passed" : "FORBIDDEN";
          // Above the minimum needs no separate proof: roles are ordered and the check is roleAtLeast
          if (expected === "passed" && role !== minRole) continue;
          assert.equal(await outcome(path, as(role)), expected, `${path} as ${role}`);
        }
      });
    }
  } finally {
    await testServices.close();
  }
});
