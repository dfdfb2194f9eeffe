/**
 * Chart colours from the design system: a chart config names colours as `var(--chart-1)` (or
 * `var(--chart-1) / 0.2` for a translucent fill) so it stays plain data, and the browser resolves
 * them against the current theme when it draws, and again when the theme changes.
 */

const token = /^var\((--[\w-]+)\)(?:\s*\/\s*([\d.]+))?$/;

/**
 * One colour: a `var(--name)` token (optionally `/ alpha`) becomes the custom property's value,
 * hex with the alpha applied as `rgb(r g b / a)`; anything else is returned as it is.
 * @param value a colour from a chart config
 * @param lookup reads a custom property (`getComputedStyle(html).getPropertyValue`)
 */
export function resolveColor(value: string, lookup: (name: string) => string): string {
  const match = token.exec(value.trim());
  if (!match) return value;
  const resolved = lookup(match[1]).trim();
  if (match[2] === undefined) return resolved;
  const hex = /^#([0-9a-f]{6})$/i.exec(resolved);
  if (!hex) return resolved;
  const [r, g, b] = [0, 2, 4].map((start) => parseInt(hex[1].slice(start, start + 2), 16));
  return `rgb(${r} ${g} ${b} / ${Number(match[2])})`;
}

/** A deep copy of `value` with every colour token resolved (arrays and plain objects walked). */
export function resolveColors<T>(value: T, lookup: (name: string) => string): T {
  if (typeof value === "string") return resolveColor(value, lookup) as T;
  if (Array.isArray(value)) return value.map((item) => resolveColors(item, lookup)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveColors(item, lookup)]),
    ) as T;
  }
  return value;
}
