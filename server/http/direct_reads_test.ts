import assert from "node:assert/strict";
import { z } from "zod";
import { publicProcedure, router, viewerProcedure } from "../trpc/init.ts";
import { directReadInput, DirectReads } from "./direct_reads.ts";

const output = z.object({});
const probeRouter = router({
  item: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/items/{id}" } })
    .input(
      z.object({ id: z.number().int(), tags: z.array(z.string()).optional(), limit: z.number().optional() }),
    )
    .output(output)
    .query(() => ({})),
  // declared after the template above, which also matches it: trpc-to-openapi routes it to `item`
  shadowed: viewerProcedure
    .meta({ openapi: { method: "GET", path: "/items/special" } })
    .input(z.void())
    .output(output)
    .query(() => ({})),
  list: publicProcedure
    .meta({ openapi: { method: "GET", path: "/items" } })
    .input(z.object({ limit: z.number().optional() }))
    .output(output)
    .query(() => ({})),
  ping: publicProcedure
    .meta({ openapi: { method: "GET", path: "/ping/" } })
    .output(output)
    .query(() => ({})),
  word: publicProcedure
    .meta({ openapi: { method: "GET", path: "/word" } })
    .input(z.string())
    .output(output)
    .query(() => ({})),
  write: publicProcedure
    .meta({ openapi: { method: "POST", path: "/items" } })
    .input(z.object({}))
    .output(output)
    .mutation(() => ({})),
});

Deno.test("DirectReads routes GET paths as trpc-to-openapi does", () => {
  const reads = new DirectReads(probeRouter);
  assert.deepEqual(reads.match("/items"), {
    read: { path: "list", needsCaller: false, noInput: false, arrayKeys: [] },
    pathInput: {},
  });
  assert.equal(reads.match("/ITEMS/")?.read.path, "list");
  assert.deepEqual(reads.match("/items/42"), {
    read: { path: "item", needsCaller: true, noInput: false, arrayKeys: ["tags"] },
    pathInput: { id: "42" },
  });
  // the first template that matches wins, as in trpc-to-openapi's own route table
  assert.deepEqual(reads.match("/items/special")?.pathInput, { id: "special" });
  assert.equal(reads.match("/items/special")?.read.path, "item");
  assert.equal(reads.match("/ping")?.read.noInput, false);
  // inputs that are not an object (and unknown paths) stay with trpc-to-openapi's handler
  assert.equal(reads.match("/word"), undefined);
  assert.equal(reads.match("/nothing"), undefined);
  assert.equal(reads.match("/items/1/2"), undefined);
});

Deno.test("directReadInput() builds the input trpc-to-openapi builds", () => {
  const reads = new DirectReads(probeRouter);
  const item = reads.match("/items/42")!;
  assert.deepEqual(directReadInput(item.read, "", item.pathInput), { id: "42" });
  // a path parameter wins over the query's key of the same name
  assert.deepEqual(directReadInput(item.read, "?id=7&limit=5", item.pathInput), { id: "42", limit: "5" });
  // repeated keys become arrays; an array field given once becomes a one-item array
  assert.deepEqual(directReadInput(item.read, "?limit=1&limit=2&tags=a", item.pathInput), {
    id: "42",
    limit: ["1", "2"],
    tags: ["a"],
  });
  assert.deepEqual(directReadInput(item.read, "?tags=a&tags=b", item.pathInput), {
    id: "42",
    tags: ["a", "b"],
  });
  assert.deepEqual(directReadInput(item.read, "?note=%C3%A9t%C3%A9+x", {}), { note: "été x" });
  // names of Object.prototype are left to the general path's 400
  assert.equal(directReadInput(item.read, "?toString=1", item.pathInput), false);
  assert.equal(directReadInput(item.read, "?__proto__=1", item.pathInput), false);
  const shadowedVoid = { path: "v", needsCaller: false, noInput: true, arrayKeys: [] };
  assert.equal(directReadInput(shadowedVoid, "?a=1", {}), undefined);
  assert.equal(directReadInput(shadowedVoid, "?constructor=1", {}), false);
});
