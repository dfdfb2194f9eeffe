import assert from "node:assert/strict";
import fc from "fast-check";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { openTestServices } from "../../server/testing/test_services.ts";
import { appRouter } from "../../server/api/app_router.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { businessFingerprint, changedTables, hostileRecord, hostileValue } from "./_hostile.ts";

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: unknown[];
}

// Built from the router, so a procedure added later is fed hostile input without touching this file
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).filter(([, procedure]) => procedure._def.type !== "subscription")
  .sort(([a], [b]) => a.localeCompare(b));

const runsPerProcedure = Number(Deno.env.get("PROPERTY_RUNS") ?? 20);

/** The field names of a zod object input (through optional/nullable wrappers), or none. */
function inputKeys(schema: unknown): string[] {
  let current = schema as { shape?: Record<string, unknown>; _zod?: { def?: { innerType?: unknown } } };
  for (let i = 0; i < 5 && current; i++) {
    if (current.shape && typeof current.shape === "object") return Object.keys(current.shape);
    current = current._zod?.def?.innerType as typeof current;
  }
  return [];
}

Deno.test("every procedure answers hostile input with a 4xx and a message, and writes nothing", async (t) => {
  const testServices = await openTestServices();
  const { services } = testServices;
  try {
    // Something to find, so ids 1.. exist and reads go past "not found"
    await insertProduct(services.db.sql, { name: "<b>Bold</b> cable", stock: 50 });
    await insertCustomer(services.db.sql, { name: "Robert'); drop table customers; --" });
    const api = testServices.api("admin", { userId: 0, username: "property-admin" });

    for (const [path, procedure] of procedures) {
      await t.step(path, async () => {
        const keys = inputKeys(procedure._def.inputs[0]);
        const inputs = fc.oneof(
          { weight: 3, arbitrary: hostileRecord(keys) },
          { weight: 1, arbitrary: hostileValue },
        );
        const before = await businessFingerprint(services.db.sql);
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(inputs, async (input) => {
            // deno-lint-ignore no-explicit-any -- walking the caller proxy by a runtime path
            let target: any = api;
            for (const segment of path.split(".")) target = target[segment];
            try {
              await target(input);
              accepted++;
            } catch (error) {
              assert.ok(error instanceof TRPCError, `${path} threw a non-tRPC error: ${error}`);
              const status = getHTTPStatusCodeFromError(error);
              assert.ok(
                status >= 400 && status < 500,
                `${path} answered ${status} ${error.code} for ${
                  JSON.stringify(input)?.slice(0, 300)
                }: ${error.message} ${(error.cause as Error)?.message ?? ""}`,
              );
              assert.ok(error.message.length > 0, "the error says what is wrong");
            }
          }),
          { numRuns: runsPerProcedure, seed: Number(Deno.env.get("PROPERTY_SEED") ?? 20_261_125) },
        );
        // A write that was accepted may change tables; one that was refused must not
        if (procedure._def.type === "query" || accepted === 0) {
          assert.deepEqual(
            changedTables(before, await businessFingerprint(services.db.sql)),
            [],
            `${path} changed tables although every input was refused`,
          );
        }
      });
    }
  } finally {
    await testServices.close();
  }
});
