import assert from "node:assert/strict";
import fc from "fast-check";
import { maxBodyBytes } from "../../server/app/app.tsx";
import { startTestApp } from "../../server/testing/test_app.ts";
import { insertCustomer, insertProduct } from "../../server/transactions/transactions_fixtures.ts";
import { createToken } from "../live/_live_fixtures.ts";
import {
  businessFingerprint,
  changedTables,
  hostileRecord,
  hostileString,
  hostileValue,
} from "./_hostile.ts";

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyKeys: string[] | undefined;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

const runsPerOperation = Number(Deno.env.get("PROPERTY_RUNS") ?? 12);

/**
 * `text` percent-encoded as a path segment. A lone surrogate (hostile text has them; encodeURIComponent throws
 * on one, which stopped the property on its own input) goes as the three bytes of its code unit
 * ("%ED%A0%80"): malformed UTF-8, which a careless client sends and the server must refuse in words.
 */
function pathSegment(text: string): string {
  return [...text].map((char) => {
    const unit = char.charCodeAt(0);
    if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
  }).join("");
}

/** Every operation of the OpenAPI document, with what it takes. */
function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const schema = operation.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => p.name),
        bodyKeys: operation.requestBody ? Object.keys(schema?.properties ?? {}) : undefined,
      });
    }
  }
  return operations.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** A request body: hostile JSON of the right shape, any JSON, malformed JSON, or an oversized one. */
function hostileBody(keys: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileRecord(keys).map((value) => JSON.stringify(value) ?? "null") },
    { weight: 1, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? "null") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{",
        '{"customerId": 1,',
        "not json at all",
        "[1, 2",
        '{"a": "\\ud800"}',
        "\u0000",
        `{"padding": "${"x".repeat(maxBodyBytes + 10)}"}`,
      ),
    },
  );
}

/** A string for the path or query: hostile, as text (numbers and all). */
const hostileText = fc.oneof(hostileString, hostileValue.map(asText)).map((text) => text.slice(0, 4_000));

/** Any value as the text a client would put in a URL. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[object]";
  }
}

Deno.test("every REST endpoint answers hostile requests with a 4xx JSON error, and writes nothing", async (t) => {
  const app = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: "0" } });
  try {
    const sql = app.services.db.sql;
    await insertProduct(sql, { name: "<b>Bold</b> cable", stock: 50 });
    await insertCustomer(sql, { name: "Robert'); drop table customers; --" });
    const admin = await createToken(app.services, "admin");
    const document = await (await app.fetch("/api/v1/openapi.json")).json();
    const operations = operationsOf(document);
    assert.ok(operations.length > 20, "the document lists the API");

    for (const operation of operations) {
      await t.step(`${operation.method} ${operation.path}`, async () => {
        const request = fc.record({
          pathValues: fc.array(hostileText, {
            minLength: operation.pathParams.length,
            maxLength: operation.pathParams.length,
          }),
          query: hostileRecord(operation.queryParams).map((values) =>
            Object.entries(values).filter(([, value]) => value !== undefined)
              .map(([key, value]) => [key, asText(value)])
          ),
          body: operation.bodyKeys ? hostileBody(operation.bodyKeys).map((b) => b as string | undefined) : fc
            .constant(undefined),
        });
        const before = await businessFingerprint(sql);
        let accepted = 0;
        await fc.assert(
          fc.asyncProperty(request, async ({ pathValues, query, body }) => {
            let path = operation.path;
            operation.pathParams.forEach((name, i) => {
              path = path.replace(`{${name}}`, pathSegment(pathValues[i] || "x"));
            });
            const search = new URLSearchParams(query.map(([key, value]) => [key, value.slice(0, 4_000)]));
            const url = `/api/v1${path}${search.size ? `?${search}` : ""}`;
            const response = await app.fetch(url, {
              method: operation.method,
              headers: {
                Authorization: `Bearer ${admin}`,
                ...(body === undefined ? {} : { "Content-Type": "application/json" }),
              },
              body,
            });
            const text = await response.text();
            const what = `${operation.method} ${url.slice(0, 200)} ${body?.slice(0, 200) ?? ""}`;
            assert.ok(response.status < 500, `${what} answered ${response.status}: ${text.slice(0, 300)}`);
            if (response.status >= 400) {
              const parsed = JSON.parse(text);
              assert.equal(typeof parsed.error?.message, "string", `${what}: an error body with a message`);
              assert.ok(parsed.error.message.length > 0);
              assert.doesNotMatch(text, /\.ts:\d+:\d+/, "no stack trace");
            } else accepted++;
          }),
          { numRuns: runsPerOperation, seed: Number(Deno.env.get("PROPERTY_SEED") ?? 20_261_125) },
        );
        if (operation.method === "GET" || accepted === 0) {
          assert.deepEqual(changedTables(before, await businessFingerprint(sql)), [], "nothing written");
        }
      });
    }
  } finally {
    await app.stop();
  }
});
