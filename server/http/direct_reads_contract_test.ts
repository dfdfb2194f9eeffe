import assert from "node:assert/strict";
import { Hono } from "hono";
import { appRouter } from "../api/app_router.ts";
import { cacheNamespaces, invalidate } from "../cache.ts";
import type { Services } from "../services.ts";
import { insertApiToken } from "../auth/api_tokens.ts";
import { seedSampleData } from "../import/seed.ts";
import { openTestServices } from "../testing/test_services.ts";
import type { Meta } from "../trpc/init.ts";
import type { Role } from "../trpc/roles.ts";
import { createRequestContext } from "./request_context.ts";
import { requestLogging } from "./request_id.ts";
import { HotReadIndex, mountRestApi } from "./rest.ts";
import { DirectReads } from "./direct_reads.ts";
import { createFastLane } from "./fast_lane.ts";
import { startTestApp } from "../testing/test_app.ts";

// Every GET of the real router, asked of two mounts over one database: one calling the procedures
// directly (direct_reads.ts), one through trpc-to-openapi's handler. Each answer must be the same,
// status, headers and bytes, for every role and for good and bad input.

/** Path parameter values: an id the sample shop has, one it does not have, one that is not a number. */
const parameterValues = ["1", "999999", "abc"];

/** Queries each path is asked with: none, bad values, repeated, unknown and reserved keys, coercion cases. */
const queries = [
  "",
  "?limit=2",
  "?limit=abc",
  "?limit=2&limit=3",
  "?days=7&periodDays=30&hours=24&unknown=1",
  "?status=open&severity=critical&from=2026-01-01&to=2026-12-31",
  "?toString=1",
];

/** Every URL of the table: each GET path with each query. */
function urls(): string[] {
  return templates().flatMap((template) =>
    expand(template).flatMap((path) => queries.map((query) => path + query))
  );
}

function templates(): string[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  return Object.values(procedures)
    .map((procedure) => procedure._def.meta?.openapi)
    .filter((openapi) => openapi?.method === "GET")
    .map((openapi) => openapi!.path);
}

function expand(template: string): string[] {
  if (!template.includes("{")) return [template, template.toUpperCase()];
  return parameterValues.map((value) => template.replaceAll(/\{[^}]+\}/g, value));
}

// the lanes run at different instants: the health check's clock readings (kept for a second) are left out
const moving = /"(uptimeSeconds|roundTripMs)":[0-9.]+/g;

Deno.test("direct REST reads answer exactly as trpc-to-openapi's handler", async () => {
  const test = await openTestServices();
  const { services } = test;
  const tokens = {} as Record<Role, string>;
  try {
    await seedSampleData(services.db.sql, { now: new Date() });
    for (const role of ["viewer", "analyst", "manager", "admin"] as const) {
      tokens[role] = (await insertApiToken(services.db.sql, { name: `direct-${role}`, role, createdBy: 0 }))
        .token;
    }
    const mount = (directReads: boolean) => {
      const app = new Hono();
      app.use(requestLogging(services.log));
      app.use((c, next) => {
        c.set("clientIp", "127.0.0.1");
        return next();
      });
      mountRestApi(app, {
        createContext: (c) => createRequestContext(services, c),
        reads: directReads ? undefined : false,
      });
      return app;
    };
    const direct = mount(true);
    const chain = mount(false);
    const ask = async (app: Hono, url: string, role: Role | null) => {
      const response = await app.request(`http://localhost/api/v1${url}`, {
        headers: {
          "x-request-id": "contract-1",
          ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
        },
      });
      const headers = [...response.headers].filter(([name]) => name !== "content-length");
      return { status: response.status, headers, body: (await response.text()).replaceAll(moving, "") };
    };

    let compared = 0, succeeded = 0, refused = 0;
    for (const url of urls()) {
      await freshCache(services);
      for (const role of [null, "viewer", "admin"] as const) {
        // a first call fills any cache entry, so both lanes are then asked of the same one
        await ask(direct, url, role);
        const viaChain = await ask(chain, url, role);
        const viaDirect = await ask(direct, url, role);
        assert.deepEqual(viaDirect, viaChain, `${role ?? "anonymous"} GET ${url}`);
        compared++;
        if (viaDirect.status === 200) succeeded++;
        if (viaDirect.status === 400 || viaDirect.status === 404) refused++;
      }
    }
    // the table reached real answers and real refusals, not only 401s
    assert.ok(compared > 2_000, `${compared} compared`);
    assert.ok(succeeded > 300, `${succeeded} answered 200`);
    assert.ok(refused > 300, `${refused} refused 400 or 404`);

    // an If-None-Match with the entry's ETag: 304 from both
    const first = await direct.request("http://localhost/api/v1/analytics/top-products", {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    const etag = first.headers.get("etag");
    assert.ok(etag);
    await first.body?.cancel();
    for (const app of [direct, chain]) {
      const again = await app.request("http://localhost/api/v1/analytics/top-products", {
        headers: { authorization: `Bearer ${tokens.viewer}`, "if-none-match": etag },
      });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), "");
    }
  } finally {
    await test.close();
  }
});

/**
 * Every cache entry retired: the first call of each URL then makes a fresh one, so the two answers compared
 * are read from the same entry (one made before the run could expire between them, 30 s later).
 */
function freshCache(services: Services): Promise<void> {
  return invalidate(services.kv, [...cacheNamespaces]);
}

// The fast lane calls the same procedures for API tokens ahead of the middleware chain (fast_lane_reads.ts);
// a request that also sends a cookie goes down the chain, so the pair below is one request both ways.
Deno.test("REST reads from API tokens in the fast lane answer exactly as the chain", async () => {
  const tokens = {} as Record<"viewer" | "admin", string>;
  const app = await startTestApp({
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    prepare: async (services) => {
      await seedSampleData(services.db.sql, { now: new Date() });
      for (const role of ["viewer", "admin"] as const) {
        tokens[role] =
          (await insertApiToken(services.db.sql, { name: `lane-${role}`, role, createdBy: 0 })).token;
      }
    },
  });
  const ask = async (url: string, token: string, cookie: boolean) => {
    const response = await app.fetch(`/api/v1${url}`, {
      headers: {
        "x-request-id": "contract-2",
        authorization: `Bearer ${token}`,
        ...(cookie ? { cookie: "unrelated=1" } : {}),
      },
    });
    const headers = [...response.headers].filter(([name]) => name !== "content-length" && name !== "date");
    return { status: response.status, headers, body: (await response.text()).replaceAll(moving, "") };
  };
  try {
    // the lane takes the request: a procedure's answer comes back, not "hand it on"
    const lane = createFastLane(app.services, {
      routes: new Map(),
      index: new HotReadIndex(),
      reads: new DirectReads(appRouter),
      writes: new Map(),
      baseHeaders: Promise.resolve([]),
    });
    await Promise.resolve();
    const request = (headers: Record<string, string>) =>
      new Request(`${app.url}/api/v1/analytics/top-products?limit=3`, {
        headers: { authorization: `Bearer ${tokens.viewer}`, ...headers },
      });
    const unused = () => Promise.reject(new Error("the chain is not asked"));
    const answered = await lane(request({}), () => "127.0.0.1", unused);
    assert.equal(answered?.status, 200);
    assert.equal((await answered!.json()).items.length, 3);
    assert.equal(lane(request({ cookie: "unrelated=1" }), () => "127.0.0.1", unused), undefined);
    assert.equal(
      lane(request({ origin: "https://elsewhere.example" }), () => "127.0.0.1", unused),
      undefined,
    );

    let compared = 0, succeeded = 0;
    for (const url of urls()) {
      await freshCache(app.services);
      for (const token of [tokens.viewer, tokens.admin, "tm_not-a-token"]) {
        await (await app.fetch(`/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } })).body
          ?.cancel();
        const viaChain = await ask(url, token, true);
        const viaLane = await ask(url, token, false);
        assert.deepEqual(viaLane, viaChain, `GET ${url}`);
        compared++;
        if (viaLane.status === 200) succeeded++;
      }
    }
    assert.ok(compared > 2_000 && succeeded > 300, `${compared} compared, ${succeeded} answered 200`);
  } finally {
    await app.stop();
  }
});
