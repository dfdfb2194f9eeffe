import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { Hono } from "hono";
import { z } from "zod";
import { openTestServices } from "../testing/test_services.ts";
import { createInnerContext } from "../trpc/context.ts";
import { publicProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { requestLogging } from "./request_id.ts";
import { mountRestApi, openApiDocument } from "./rest.ts";

// A router of probes, one per behaviour of the REST layer: the layer is tested on its own here,
// and against the app's real procedures in rest_contract_test.ts
const errorCodes = [
  "NOT_FOUND",
  "CONFLICT",
  "FORBIDDEN",
  "UNAUTHORIZED",
  "TOO_MANY_REQUESTS",
  "BAD_REQUEST",
] as const;
const probeRouter = router({
  probe: router({
    fail: publicProcedure
      .meta({ openapi: { method: "GET", path: "/probe/fail/{code}" } })
      .input(z.object({ code: z.enum(errorCodes) }))
      .output(z.object({}))
      .query(({ input }) => {
        throw new TRPCError({ code: input.code, message: `Probe failed with ${input.code}` });
      }),
    crash: publicProcedure
      .meta({ openapi: { method: "GET", path: "/probe/crash" } })
      .input(z.void())
      .output(z.object({}))
      .query(() => {
        throw new Error('relation "secret_table" does not exist at /srv/internal.ts:12');
      }),
    echo: publicProcedure
      .meta({ openapi: { method: "POST", path: "/probe/echo" } })
      .input(z.object({
        items: z.array(
          z.object({ productId: z.number().int().min(1), quantity: z.number().int().min(1).max(100) }),
        )
          .min(1),
      }))
      .output(z.object({ count: z.number() }))
      .mutation(({ input }) => ({ count: input.items.length })),
    create: publicProcedure
      .meta({ openapi: { method: "POST", path: "/probe" } })
      .input(z.object({ name: z.string().min(1) }))
      .output(z.object({ name: z.string() }))
      .mutation(({ input }) => ({ name: input.name })),
    accept: publicProcedure
      .meta({ openapi: { method: "POST", path: "/probe/accept" } })
      .input(z.void())
      .output(z.object({ queued: z.boolean() }))
      .mutation(({ ctx }) => {
        ctx.responseMeta.status = 202;
        return { queued: true };
      }),
    cached: publicProcedure
      .meta({ openapi: { method: "GET", path: "/probe/cached" } })
      .input(z.object({ hit: z.enum(["yes", "no"]) }))
      .output(z.object({ at: z.date() }))
      .query(({ ctx, input }) => {
        ctx.responseMeta.cache = input.hit === "yes" ? "hit" : "miss";
        return { at: new Date("2025-01-02T03:04:05Z") };
      }),
    private: viewerProcedure
      .meta({ openapi: { method: "GET", path: "/probe/private" } })
      .input(z.void())
      .output(z.object({ ok: z.boolean() }))
      .query(() => ({ ok: true })),
  }),
});

Deno.test("the REST layer", async (t) => {
  const test = await openTestServices();
  const app = new Hono();
  app.use(requestLogging(test.services.log));
  mountRestApi(app, {
    router: probeRouter,
    createContext: (c) =>
      Promise.resolve(
        createInnerContext({ services: test.services, caller: null, requestId: c.get("requestId") }),
      ),
  });
  const call = (path: string, init?: RequestInit) => app.request(`http://localhost/api/v1${path}`, init);
  const post = (path: string, body: string, type = "application/json") =>
    call(path, { method: "POST", headers: { "content-type": type }, body });

  try {
    await t.step("each error code answers its HTTP status with the one documented body", async () => {
      const statuses = {
        NOT_FOUND: 404,
        CONFLICT: 409,
        FORBIDDEN: 403,
        UNAUTHORIZED: 401,
        TOO_MANY_REQUESTS: 429,
        BAD_REQUEST: 400,
      };
      for (const code of errorCodes) {
        const response = await call(`/probe/fail/${code}`, {
          headers: { "x-request-id": "probe-request-1" },
        });
        assert.equal(response.status, statuses[code], code);
        assert.match(response.headers.get("content-type") ?? "", /application\/json/);
        assert.equal(response.headers.get("x-request-id"), "probe-request-1");
        // a 401's body is the same for every caller: its id is in the header only
        const requestId = code === "UNAUTHORIZED" ? {} : { requestId: "probe-request-1" };
        assert.deepEqual(await response.json(), {
          error: { code, message: `Probe failed with ${code}`, ...requestId },
        });
      }
    });

    await t.step("invalid input is 400 naming each field's path and reason", async () => {
      const response = await post(
        "/probe/echo",
        JSON.stringify({ items: [{ productId: 1, quantity: 0 }, { productId: "x", quantity: 1 }] }),
      );
      assert.equal(response.status, 400);
      const { error } = await response.json();
      assert.equal(error.code, "BAD_REQUEST");
      assert.deepEqual(error.issues.map((issue: { path: string }) => issue.path), [
        "items.0.quantity",
        "items.1.productId",
      ]);
      assert.equal(error.issues[0].message, "Must be 1 or more");
      assert.match(error.message, /^Invalid input: items\.0\.quantity: .*; items\.1\.productId: /);
      const bad = await call("/probe/fail/TEAPOT");
      assert.equal(bad.status, 400, "a bad path parameter is bad input too");
      assert.equal((await bad.json()).error.issues[0].path, "code");
    });

    await t.step("a body that is not JSON is 400, a missing content type 415, never 500", async () => {
      const malformed = await post("/probe/echo", '{"items": [');
      assert.equal(malformed.status, 400);
      assert.deepEqual((await malformed.json()).error.message, "The request body is not valid JSON");
      const empty = await post("/probe/echo", "");
      assert.equal(empty.status, 400);
      await empty.body?.cancel();
      const wrongType = await post("/probe/echo", "items=1", "text/plain");
      assert.equal(wrongType.status, 415);
      assert.equal((await wrongType.json()).error.code, "UNSUPPORTED_MEDIA_TYPE");
      const wrongShape = await post("/probe/echo", "[1, 2]");
      assert.equal(wrongShape.status, 400);
      await wrongShape.body?.cancel();
    });

    await t.step("a failure inside a procedure is 500 without its message or a stack trace", async () => {
      const response = await call("/probe/crash");
      assert.equal(response.status, 500);
      const text = await response.text();
      assert.doesNotMatch(text, /secret_table|internal\.ts|stack|at /i);
      assert.equal(JSON.parse(text).error.message, "Something went wrong on our side");
    });

    await t.step(
      "no route is a 404 naming the method and path; a protected one without credentials 401",
      async () => {
        const missing = await call("/probe/nowhere");
        assert.equal(missing.status, 404);
        assert.equal((await missing.json()).error.message, "No route for GET /api/v1/probe/nowhere");
        const wrongMethod = await call("/probe/cached", { method: "DELETE" });
        assert.equal(wrongMethod.status, 404);
        await wrongMethod.body?.cancel();
        const anonymous = await call("/probe/private");
        assert.equal(anonymous.status, 401);
        assert.equal((await anonymous.json()).error.code, "UNAUTHORIZED");
      },
    );

    await t.step(
      "a create answers 201, a procedure may choose 202, reads 200 with dates as ISO strings",
      async () => {
        const created = await post("/probe", JSON.stringify({ name: "widget" }));
        assert.equal(created.status, 201);
        assert.deepEqual(await created.json(), { name: "widget" });
        const accepted = await call("/probe/accept", { method: "POST" });
        assert.equal(accepted.status, 202);
        await accepted.body?.cancel();
        const read = await call("/probe/cached?hit=no");
        assert.equal(read.status, 200);
        assert.deepEqual(await read.json(), { at: "2025-01-02T03:04:05.000Z" });
      },
    );

    await t.step("X-Cache tells whether the procedure's read came from the cache", async () => {
      const miss = await call("/probe/cached?hit=no");
      assert.equal(miss.headers.get("x-cache"), "miss");
      await miss.body?.cancel();
      const hit = await call("/probe/cached?hit=yes");
      assert.equal(hit.headers.get("x-cache"), "hit");
      await hit.body?.cancel();
      const none = await post("/probe", JSON.stringify({ name: "x" }));
      assert.equal(none.headers.get("x-cache"), null, "no header when the procedure read no cache");
      await none.body?.cancel();
    });

    await t.step("the document answers creates with 201 and every error with the Error schema", async () => {
      const document = openApiDocument(probeRouter);
      const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      assert.ok(paths["/probe"].post.responses["201"]);
      assert.equal(paths["/probe"].post.responses["200"], undefined);
      assert.ok(paths["/probe/echo"].post.responses["200"]);
      for (const [status, response] of Object.entries(paths["/probe/echo"].post.responses)) {
        if (status.startsWith("2")) continue;
        assert.deepEqual(
          (response as { content: unknown }).content,
          { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        );
      }
      const served = await call("/openapi.json");
      assert.deepEqual(await served.json(), document, "the served document is the generated one");
    });
  } finally {
    await test.close();
  }
});
