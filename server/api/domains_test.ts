import assert from "node:assert/strict";
import type { AnyRouter } from "@trpc/server";
import { floorPlan } from "../../scripts/layers/floor_plan.ts";
import type { Domain } from "../domain.ts";
import { appEventTypes } from "../events/app_events.ts";
import { exportTables } from "../http/csv_export.ts";
import { openTestServices } from "../testing/test_services.ts";
import { appRouter } from "./app_router.ts";
import { domainEvents, domainExports, domainJobs, domains, findJob } from "./domains.ts";

const root = new URL("../../", import.meta.url);
const list = domains as readonly Domain[];

/** The domain folders of the floor plan that build a tRPC router (`router({` in a file of the folder). */
async function foldersWithARouter(): Promise<string[]> {
  const folders = floorPlan.find((floor) => floor.name === "domains")!.files.filter((f) => f.endsWith("/"));
  const found: string[] = [];
  for (const folder of folders) {
    for await (const entry of Deno.readDir(new URL(folder, root))) {
      if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
      if ((await Deno.readTextFile(new URL(`${folder}${entry.name}`, root))).includes("router({")) {
        found.push(folder);
        break;
      }
    }
  }
  return found.sort();
}

Deno.test("every domain folder with a router has a mod.ts whose contribution is in the one list", async () => {
  const folders = await foldersWithARouter();
  assert.ok(folders.length >= 15, `found only ${folders.join(", ")}`);
  for (const folder of folders) {
    const module: Record<string, unknown> = await import(new URL(`${folder}mod.ts`, root).href);
    const declared = Object.values(module).filter((value) => list.includes(value as Domain));
    assert.equal(declared.length, 1, `${folder}mod.ts exports one domain that server/api/domains.ts lists`);
    assert.equal((declared[0] as Domain).folder, folder.replace(/^server\//, "").replace(/\/$/, ""));
  }
  assert.equal(list.length, folders.length, "every listed domain comes from one of those folders");
});

/** The procedure paths of a router, as the app router would serve them under `namespace`. */
function proceduresOf(namespace: string, router: AnyRouter): string[] {
  return Object.keys(router._def.procedures).map((path) => `${namespace}.${path}`);
}

Deno.test("every procedure a domain's mod.ts declares is served by the app router, and nothing else", () => {
  const declared: string[] = [];
  for (const domain of list) {
    const owned = typeof domain.routers === "function"
      ? domain.routers({ jobs: domainJobs })
      : domain.routers;
    for (const [namespace, router] of [...Object.entries(owned), ...Object.entries(domain.adds ?? {})]) {
      declared.push(...proceduresOf(namespace, router));
    }
  }
  assert.deepEqual(Object.keys(appRouter._def.procedures).sort(), declared.sort());
  // the live hub's subscriptions sit in the namespace of the domain they watch
  assert.ok("dashboard.onMetrics" in appRouter._def.procedures);
  assert.ok("dashboard.overview" in appRouter._def.procedures);
});

Deno.test("each bus event is declared by exactly one domain, and each CSV download by one", () => {
  assert.deepEqual([...domainEvents].sort(), [...appEventTypes].sort());
  assert.deepEqual([...domainExports].sort(), Object.keys(exportTables).sort());
});

Deno.test("the jobs a domain declares are the ones the jobs router lists and runs", async () => {
  const test = await openTestServices();
  try {
    const listed = await test.api("admin").jobs.list();
    assert.deepEqual(listed.jobs.map((job) => job.name), domainJobs.map((job) => job.name));
    assert.equal(new Set(domainJobs.map((job) => job.name)).size, domainJobs.length, "job names are unique");
    assert.equal(findJob("stock-alerts")?.name, "stock-alerts");
    const started = await test.api("admin").jobs.runNow({ name: "stock-alerts" });
    assert.equal(started.status, "running");
    let run = await test.api("admin").jobs.run({ id: started.runId! });
    for (const deadline = Date.now() + 30_000; run.status === "running" && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await test.api("admin").jobs.run({ id: started.runId! });
    }
    assert.equal(run.job, "stock-alerts");
    assert.equal(run.status, "succeeded");
  } finally {
    await test.close();
  }
});
