/**
 * The layer check run by `deno task check`: every local import must point to the same floor or
 * one below it (scripts/layers/floor_plan.ts), every file must sit on a floor, and no import
 * cycle may exist. Prints each offending edge or cycle and exits 1 when there is any.
 *
 * Usage: deno run --allow-read scripts/check_layers.ts [root]
 */

import { join, relative, resolve } from "node:path";
import { floorPlan } from "./layers/floor_plan.ts";
import {
  folderCycles,
  importCycles,
  type ImportGraph,
  unplacedFiles,
  upwardImports,
} from "./layers/graph.ts";
import { localSpecifiers } from "./layers/imports.ts";

const skippedFolders = new Set([".git", "node_modules", "build", ".data", "scratch", "vendor"]);

/** Reads every .ts/.tsx below `root` into a graph of local imports (paths relative to root). */
export async function readImportGraph(root: string): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  for await (const file of sourceFiles(root, root)) {
    const source = await Deno.readTextFile(join(root, file));
    const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
    graph.set(
      file,
      localSpecifiers(source).map((specifier) =>
        relative(root, resolve(root, folder, specifier)).replaceAll("\\", "/")
      ),
    );
  }
  return graph;
}

async function* sourceFiles(root: string, folder: string): AsyncGenerator<string> {
  const entries = [];
  for await (const entry of Deno.readDir(folder)) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory && !skippedFolders.has(entry.name)) yield* sourceFiles(root, path);
    if (entry.isFile && /\.tsx?$/.test(entry.name)) yield relative(root, path).replaceAll("\\", "/");
  }
}

/** Every problem found under `root`, one line each; empty when the floors hold. */
export async function checkLayers(root: string): Promise<string[]> {
  const graph = await readImportGraph(root);
  const problems: string[] = [];
  for (const file of unplacedFiles(floorPlan, graph)) {
    problems.push(`unplaced: ${file} sits on no floor of scripts/layers/floor_plan.ts`);
  }
  for (const edge of upwardImports(floorPlan, graph)) {
    problems.push(`upward import: ${edge.from} (${edge.fromFloor}) -> ${edge.to} (${edge.toFloor})`);
  }
  for (const cycle of importCycles(graph)) problems.push(`import cycle: ${cycle.join(" -> ")}`);
  for (const cycle of folderCycles(floorPlan, graph)) problems.push(`folder cycle: ${cycle}`);
  return problems;
}

if (import.meta.main) {
  const root = Deno.args[0] ?? ".";
  const problems = await checkLayers(root);
  for (const line of problems) console.error(line);
  if (problems.length > 0) {
    console.error(`Layer check failed: ${problems.length} problem(s); see docs/architecture.md`);
    Deno.exit(1);
  }
  console.log("Layer check: every import points down a floor, no cycles");
}
