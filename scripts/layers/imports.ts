/**
 * Finds the local modules a source file imports: static imports and re-exports (type-only ones
 * too, since a type import still ties two files together for a reader) and dynamic `import("...")`
 * with a string literal. Only relative specifiers name our own files; npm: and bare ones are
 * packages and outside the floor plan.
 */

// `import x from "a"`, `import type { X } from "a"`, `export * from "a"`, `export { x } from "a"`,
// and the bare `import "a"`; the clause may span lines, so it is matched lazily up to `from`.
const staticImport =
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"'\n]+)["']/g;
const dynamicImport = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/** Relative specifiers imported by `source`, in order of appearance, without duplicates. */
export function localSpecifiers(source: string): string[] {
  const code = withoutComments(source);
  const found = new Set<string>();
  for (const pattern of [staticImport, dynamicImport]) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier.startsWith("./") || specifier.startsWith("../")) found.add(specifier);
    }
  }
  return [...found];
}

// Comments can quote import lines (JSDoc examples); strings and template literals are kept as they
// are so a "//" inside a URL does not cut a line short.
function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (ch === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? source.length : end + 2;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      const start = i++;
      while (i < source.length && source[i] !== ch) i += source[i] === "\\" ? 2 : 1;
      out += source.slice(start, ++i);
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
