/** Pure checks over an import graph: upward edges against a floor plan, and cycles. */

import type { Floor, FloorPlan } from "./floor_plan.ts";

/** file (posix path from the root) -> files it imports */
export type ImportGraph = Map<string, string[]>;

export interface UpwardImport {
  from: string;
  to: string;
  fromFloor: string;
  toFloor: string;
}

/** The pattern of `floor` that claims `file`, or undefined. */
function patternOf(floor: Floor, file: string): string | undefined {
  return floor.files.find((pattern) => matches(pattern, file));
}

/** The floor a file sits on: the first floor (top first) with a matching pattern. */
export function floorOf(plan: FloorPlan, file: string): number {
  for (const [index, floor] of plan.entries()) {
    if (floor.files.some((pattern) => matches(pattern, file))) return index;
  }
  return -1;
}

// A pattern ending in "/" is a folder (everything below it); one starting with "*" is a suffix;
// anything else names one file.
function matches(pattern: string, file: string): boolean {
  if (pattern.endsWith("/")) return file.startsWith(pattern);
  if (pattern.startsWith("*")) return file.endsWith(pattern.slice(1));
  return file === pattern;
}

/** Files that no floor claims: the plan must place every file, or the check means nothing. */
export function unplacedFiles(plan: FloorPlan, graph: ImportGraph): string[] {
  return [...graph.keys()].filter((file) => floorOf(plan, file) === -1).sort();
}

/** Imports from a lower floor to a higher one (floors are listed top first). */
export function upwardImports(plan: FloorPlan, graph: ImportGraph): UpwardImport[] {
  const found: UpwardImport[] = [];
  for (const [from, targets] of graph) {
    const fromIndex = floorOf(plan, from);
    for (const to of targets) {
      const toIndex = floorOf(plan, to);
      if (fromIndex === -1 || toIndex === -1 || toIndex >= fromIndex) continue;
      found.push({ from, to, fromFloor: plan[fromIndex].name, toFloor: plan[toIndex].name });
    }
  }
  return found.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each given as a closed path
 * `a -> b -> ... -> a` so the reader sees which edges to cut.
 */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfLoop = (graph.get(file) ?? []).includes(file);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map((component) => cyclePath(graph, new Set(component)));
}

// A shortest way back to the start within one component (breadth first), as a readable path.
function cyclePath(graph: ImportGraph, component: Set<string>): string[] {
  const start = [...component].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of graph.get(file) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let step: string | undefined = file; step !== undefined && step !== start;) {
          path.splice(1, 0, step);
          step = cameFrom.get(step);
        }
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * Cycles between the folders of floors marked `acyclicFolders`, each as a closed path of folders
 * followed by one import that makes each step, so the reader sees what to move.
 */
export function folderCycles(plan: FloorPlan, graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [index, floor] of plan.entries()) {
    if (!floor.acyclicFolders) continue;
    const folders: ImportGraph = new Map();
    const example = new Map<string, string>();
    for (const [from, targets] of graph) {
      if (floorOf(plan, from) !== index) continue;
      const fromFolder = patternOf(floor, from)!;
      for (const to of targets) {
        if (floorOf(plan, to) !== index) continue;
        const toFolder = patternOf(floor, to)!;
        if (toFolder === fromFolder) continue;
        const edges = folders.get(fromFolder) ?? [];
        if (!edges.includes(toFolder)) folders.set(fromFolder, [...edges, toFolder]);
        if (!example.has(`${fromFolder} ${toFolder}`)) {
          example.set(`${fromFolder} ${toFolder}`, `${from} -> ${to}`);
        }
      }
    }
    for (const cycle of importCycles(folders)) {
      const steps = cycle.slice(1).map((folder, step) => example.get(`${cycle[step]} ${folder}`));
      found.push(`${cycle.join(" -> ")} (${steps.join("; ")})`);
    }
  }
  return found;
}
