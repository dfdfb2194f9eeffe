import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { checkLayers } from "../check_layers.ts";
import { localSpecifiers } from "./imports.ts";

// A tiny tree laid out on the real floor plan: write it, check it, remove it.
async function withTree(files: Record<string, string>, run: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "layers-" });
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(root, path)), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    }
    await run(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const cleanTree = {
  "main.ts": 'import { startApp } from "./server/app/start.ts";\nstartApp();\n',
  "server/app/start.ts": 'import { sql } from "../db/sql.ts";\nexport function startApp() { sql(); }\n',
  "server/db/sql.ts": "export function sql() {}\n",
};

Deno.test("checkLayers() passes a tree whose imports all point down", async () => {
  await withTree(cleanTree, async (root) => assert.deepEqual(await checkLayers(root), []));
});

Deno.test("checkLayers() names an import from the database floor up to the wiring", async () => {
  await withTree({
    ...cleanTree,
    "server/db/sql.ts": 'import type { App } from "../app/start.ts";\nexport function sql(_: App) {}\n',
  }, async (root) => {
    const problems = await checkLayers(root);
    assert.ok(
      problems.includes("upward import: server/db/sql.ts (foundation) -> server/app/start.ts (wiring)"),
      problems.join("\n"),
    );
  });
});

Deno.test("checkLayers() names an import cycle within one floor as a closed path", async () => {
  await withTree({
    ...cleanTree,
    "server/shared/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;\n',
    "server/shared/b.ts": 'export const b = () => import("./a.ts");\n',
  }, async (root) => {
    assert.deepEqual(await checkLayers(root), [
      "import cycle: server/shared/a.ts -> server/shared/b.ts -> server/shared/a.ts",
    ]);
  });
});

Deno.test("checkLayers() names two domains that import each other, with one import per step", async () => {
  await withTree({
    ...cleanTree,
    "server/fraud/score.ts":
      'import type { Sale } from "../transactions/sale.ts";\nexport type Score = Sale;\n',
    "server/transactions/sale.ts": "export type Sale = 1;\n",
    "server/transactions/create.ts":
      'import type { Score } from "../fraud/score.ts";\nexport type S = Score;\n',
  }, async (root) => {
    assert.deepEqual(await checkLayers(root), [
      "folder cycle: server/fraud/ -> server/transactions/ -> server/fraud/ " +
      "(server/fraud/score.ts -> server/transactions/sale.ts; server/transactions/create.ts -> server/fraud/score.ts)",
    ]);
  });
});

Deno.test("checkLayers() refuses a file that sits on no floor", async () => {
  await withTree({ ...cleanTree, "stray/thing.ts": "export const x = 1;\n" }, async (root) => {
    assert.deepEqual(await checkLayers(root), [
      "unplaced: stray/thing.ts sits on no floor of scripts/layers/floor_plan.ts",
    ]);
  });
});

Deno.test("the layer check command exits 1 and prints the upward edge", async () => {
  await withTree({
    ...cleanTree,
    "server/kv/kv.ts": 'export * from "../../routes/index.tsx";\n',
    "routes/index.tsx": "export const page = 1;\n",
  }, async (root) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", new URL("../check_layers.ts", import.meta.url).pathname, root],
    }).output();
    assert.equal(output.code, 1);
    assert.match(
      new TextDecoder().decode(output.stderr),
      /upward import: server\/kv\/kv\.ts \(foundation\) -> routes\/index\.tsx \(pages\)/,
    );
  });
});

Deno.test("localSpecifiers() finds static, type-only, multi-line, re-export and dynamic imports", () => {
  const source = `
import { a } from "./a.ts";
import type { B } from "../b.ts";
import {
  c,
  type D,
} from "./c.ts";
export * from "./e.ts";
export { f } from './f.ts';
import "./g.ts";
const h = await import("./h.ts");
import { z } from "zod";
// import { commented } from "./commented.ts";
/* import { blocked } from "./blocked.ts"; */
const text = "see https://example.com/x from \\"./not_an_import.ts\\"";
`;
  assert.deepEqual(localSpecifiers(source), [
    "./a.ts",
    "../b.ts",
    "./c.ts",
    "./e.ts",
    "./f.ts",
    "./g.ts",
    "./h.ts",
  ]);
});
