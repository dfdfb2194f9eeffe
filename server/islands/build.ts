import { join, relative } from "node:path";
import type { Logger } from "../log.ts";
import { islandsDir } from "./registry.ts";

const root = new URL("../../", import.meta.url);
export const buildDir = new URL("build/", root);
const manifestFile = new URL("manifest.json", buildDir);
// What the browser bundle may be made of: islands import shared zod schemas and types from
// server/, so a change there can change a bundle too. Hashing a few hundred files costs less than
// tracing the import graph, and a needless rebuild costs only a second at start.
const sourceDirs = ["islands", "components", "client", "server"];
// fresh.config.ts declares which islands there are
const sourceFiles = ["deno.json", "deno.lock", "fresh.config.ts"];

/** Maps each island name (and `_boot`) to its content-hashed URL under /build/. */
export interface IslandManifest {
  sourceHash: string;
  files: Record<string, string>;
}

/**
 * Returns the current build of the declared islands (their names, from fresh.config.ts), rebuilding
 * first when the island sources changed since it was made.
 */
export async function ensureIslandBuild(
  log: Logger,
  options: { islands: readonly string[]; force?: boolean },
): Promise<IslandManifest> {
  const sourceHash = await hashSources();
  if (!options.force) {
    try {
      const manifest = JSON.parse(await Deno.readTextFile(manifestFile)) as IslandManifest;
      if (manifest.sourceHash === sourceHash) return manifest;
    } catch {
      // no build yet
    }
  }
  const start = performance.now();
  const manifest = await bundleIslands([...options.islands].sort(), sourceHash);
  log.info("islands built", {
    islands: Object.keys(manifest.files).length,
    ms: Math.round(performance.now() - start),
  });
  return manifest;
}

async function bundleIslands(names: string[], sourceHash: string): Promise<IslandManifest> {
  const staging = new URL(`.staging-${crypto.randomUUID()}/`, buildDir);
  await Deno.mkdir(staging, { recursive: true });
  const entries = [...names.map((name) => `${name}.tsx`), "_boot.ts"].map((file) =>
    relative(Deno.cwd(), new URL(file, islandsDir).pathname)
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--code-splitting",
      "--minify",
      "--outdir",
      staging.pathname,
      ...entries,
    ],
    cwd: root.pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw new Error(`Cannot bundle the islands: ${new TextDecoder().decode(output.stderr).slice(0, 2_000)}`);
  }
  // Entries get a content hash in their name so browsers may cache them forever; chunks have one already
  const files: Record<string, string> = {};
  for await (const entry of Deno.readDir(staging)) {
    if (!entry.isFile || !entry.name.endsWith(".js")) continue;
    const base = entry.name.slice(0, -3);
    const target = [...names, "_boot"].includes(base)
      ? `${base}-${(await hashBytes(await Deno.readFile(new URL(entry.name, staging)))).slice(0, 10)}.js`
      : entry.name;
    await Deno.rename(new URL(entry.name, staging), new URL(target, buildDir));
    if (target !== entry.name) files[base] = `/build/${target}`;
  }
  await Deno.remove(staging, { recursive: true });
  const manifest = { sourceHash, files };
  await Deno.writeTextFile(manifestFile, JSON.stringify(manifest, null, 2));
  return manifest;
}

async function hashSources(): Promise<string> {
  const parts: string[] = [];
  for (const dir of sourceDirs) {
    for (const file of await listFiles(join(root.pathname, dir))) {
      parts.push(file, await hashBytes(await Deno.readFile(file)));
    }
  }
  for (const file of sourceFiles) {
    const path = join(root.pathname, file);
    parts.push(file, await hashBytes(await Deno.readFile(path).catch(() => new Uint8Array())));
  }
  return hashBytes(new TextEncoder().encode(parts.join("\n")));
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) files.push(...await listFiles(path));
      else if (entry.isFile && /\.(tsx?|css)$/.test(entry.name) && !entry.name.endsWith("_test.ts")) {
        files.push(path);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}

async function hashBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
