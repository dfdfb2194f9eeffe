import assert from "node:assert/strict";
import { islands, pageRoutes, routeFiles, site } from "./fresh.config.ts";
import { domainPages } from "./server/api/domains.ts";
import { listIslandNames } from "./server/islands/registry.ts";

Deno.test("fresh.config.ts declares every island in islands/ and nothing else", async () => {
  assert.deepEqual(Object.keys(islands).sort(), await listIslandNames());
  assert.equal(site.islands, islands);
});

Deno.test("fresh.config.ts binds every route file in routes/, and every page a domain declares is served", async () => {
  const files: string[] = [];
  // route files under routes/ by their name without .tsx; "_layout", "_error" are not pages
  async function read(folder: string, prefix: string) {
    for await (const entry of Deno.readDir(new URL(folder, import.meta.url))) {
      if (entry.isDirectory) await read(`${folder}${entry.name}/`, `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(".tsx") && !entry.name.startsWith("_")) {
        files.push(prefix + entry.name.slice(0, -".tsx".length));
      }
    }
  }
  await read("./routes/", "");
  assert.deepEqual(Object.keys(routeFiles).sort(), files.sort());
  assert.deepEqual(pageRoutes.map((route) => route.path), domainPages.map((page) => page.path));
  for (const { path, route } of domainPages) {
    assert.equal(pageRoutes.find((served) => served.path === path)?.module, routeFiles[route], path);
  }
  // every route file draws at least one declared page
  assert.deepEqual([...new Set(domainPages.map((page) => page.route))].sort(), files.sort());
});
