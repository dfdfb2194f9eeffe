import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { appRouter } from "../api/app_router.ts";
import { openApiDocument } from "./rest.ts";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

// The reference's REST API (REFERENCE.md), path parameters written as {}: their clients must keep
// working against us. Then the paths only we have.
const referencePaths: [Method, string][] = [
  ["GET", "/dashboard/overview"],
  ["GET", "/dashboard/metrics/realtime"],
  ["GET", "/transactions"],
  ["GET", "/transactions/{}"],
  ["GET", "/transactions/suspicious"],
  ["POST", "/transactions"],
  ["GET", "/inventory/low-stock"],
  ["GET", "/inventory/predictions/{}"],
  ["GET", "/inventory/reorder-suggestions"],
  ["POST", "/inventory/reorder-suggestions/{}/approve"],
  ["GET", "/analytics/hourly-sales"],
  ["GET", "/analytics/top-products"],
  ["GET", "/analytics/customer-segments"],
  ["GET", "/analytics/category-performance"],
  ["GET", "/alerts"],
  ["POST", "/alerts"],
  ["PATCH", "/alerts/{}/resolve"],
  ["DELETE", "/alerts/{}"],
  ["GET", "/health"],
];

const catalogPaths: [Method, string][] = [
  ["GET", "/products"],
  ["POST", "/products"],
  ["GET", "/products/{}"],
  ["PATCH", "/products/{}"],
  ["GET", "/suppliers"],
  ["GET", "/suppliers/{}"],
  ["GET", "/customers"],
  ["GET", "/customers/{}"],
];

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
  security?: unknown[];
};
type Paths = Record<string, Record<string, Operation>>;

function shape(path: string): string {
  return path.replace(/\{[^}]+\}/g, "{}");
}

/** The operations of the document as "METHOD /path-with-{}" -> its path and operation. */
function operationsOf(paths: Paths): Map<string, { path: string; operation: Operation }> {
  const operations = new Map<string, { path: string; operation: Operation }>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.set(`${method.toUpperCase()} ${shape(path)}`, { path, operation });
    }
  }
  return operations;
}

const document = openApiDocument();
const operations = operationsOf(document.paths as Paths);
const domains = new Set(Object.keys(appRouter._def.record));

Deno.test("the OpenAPI document is valid OpenAPI 3.1", async () => {
  assert.equal(document.openapi, "3.1.0");
  const result = await new Validator().validate(structuredClone(document) as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 2_000));
});

Deno.test("every reference REST path is in the document with its method", async (t) => {
  for (const [method, path] of [...referencePaths, ...catalogPaths]) {
    const domain = path.split("/")[1];
    // A domain whose router has not landed yet is reported as ignored; once it exists, every one
    // of its paths is required
    await t.step({
      name: `${method} /api/v1${path}`,
      ignore: !domains.has(domain),
      fn: () => {
        assert.ok(operations.has(`${method} ${path}`), `${method} ${path} is missing from the document`);
      },
    });
  }
});

Deno.test("no path with a parameter hides a fixed path the REST handler would otherwise reach", () => {
  // trpc-to-openapi takes the first route in router order whose pattern matches, so
  // /transactions/{id} declared before /transactions/suspicious would swallow it
  const procedures = Object.values(
    appRouter._def.procedures as unknown as Record<string, { _def: { meta?: unknown } }>,
  )
    .map((procedure) => (procedure._def.meta as { openapi?: { method: string; path: string } })?.openapi)
    .filter((openapi) => openapi !== undefined);
  for (const { method, path } of procedures) {
    const literal = path.replace(/\{[^}]+\}/g, "42");
    const first = procedures.find((candidate) =>
      candidate.method === method &&
      new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, "[^/]+")}$`, "i").test(literal)
    );
    assert.equal(first?.path, path, `${method} ${literal} reaches ${first?.path}, not ${path}`);
  }
});

Deno.test("every operation documents its path parameters, its errors and a unique operation id", () => {
  const ids = new Set<string>();
  for (const [key, { path, operation }] of operations) {
    assert.ok(!ids.has(operation.operationId), `${key}: duplicate operationId ${operation.operationId}`);
    ids.add(operation.operationId);
    for (const name of path.match(/\{([^}]+)\}/g)?.map((part) => part.slice(1, -1)) ?? []) {
      assert.ok(
        operation.parameters?.some((parameter) => parameter.in === "path" && parameter.name === name),
        `${key}: path parameter ${name} is not documented`,
      );
    }
    const statuses = Object.keys(operation.responses);
    assert.ok(statuses.some((status) => status.startsWith("2")), `${key}: no success response`);
    for (const status of statuses.filter((status) => !status.startsWith("2"))) {
      assert.deepEqual(
        (operation.responses[status] as { content: unknown }).content,
        { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        `${key} ${status}`,
      );
    }
  }
  assert.ok(operations.size >= catalogPaths.length);
});

Deno.test("creates answer 201 in the document, other writes 200", () => {
  for (const key of ["POST /products", "POST /transactions", "POST /alerts"]) {
    const entry = operations.get(key);
    if (!entry) continue; // reported by the reference-path test
    assert.ok(entry.operation.responses["201"], `${key} documents 201`);
    assert.equal(entry.operation.responses["200"], undefined, `${key} documents no 200`);
  }
  assert.ok(operations.get("PATCH /products/{}")!.operation.responses["200"]);
});

Deno.test("the document describes authentication, the error shape and the dashboard WebSocket", () => {
  const description = document.info.description ?? "";
  assert.match(description, /Authorization: Bearer/);
  assert.match(description, /\/api\/v1\/ws\/dashboard/);
  assert.match(description, /"error": \{"code", "message"/);
  assert.deepEqual(document.components?.securitySchemes?.bearerAuth, {
    type: "http",
    scheme: "bearer",
    description: "An API token: `Authorization: Bearer <token>`",
  });
  assert.equal(operations.get("GET /health")?.operation.security, undefined, "health is public");
  assert.ok(operations.get("GET /products")?.operation.security?.length, "products need a token");
});
