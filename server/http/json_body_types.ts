import {
  instanceofZodTypeKind,
  instanceofZodTypeObject,
  type OpenApiRouter,
  unwrapZodType,
} from "trpc-to-openapi";
import type { Meta } from "../trpc/init.ts";

type ZodLike = Parameters<typeof unwrapZodType>[0];
interface ZodDef {
  coerce?: boolean;
}

/** What `keepJsonBodyTypes` found: the fields it pinned, and any it could not (see `conflicts`). */
export interface JsonBodyTypes {
  /** number and boolean fields of JSON bodies that keep the type they were declared with */
  pinned: number;
  /**
   * fields one schema object serves both in a body (strict) and in a query string or a path (text,
   * so coerced): left coerced, so the query keeps working; each should be declared twice
   */
  conflicts: string[];
}

const done = new WeakMap<OpenApiRouter, JsonBodyTypes>();

/**
 * A number in a JSON body is a JSON number, and a boolean `true` or `false`. trpc-to-openapi sets zod's
 * coerce flag on every number, boolean, bigint and date field its REST handler reaches, the first time it
 * serves a procedure: right for a query string or a path, whose values are all text, wrong for a JSON body,
 * where `true` then read as 1 and `"12"` as 12. The schema is the tRPC procedure's own, so tRPC coerced too
 * from then on. For every procedure whose input comes in a body (not GET or DELETE), this pins the flag of
 * each number and boolean field the handler would reach to what the field was declared with
 * (`z.coerce.number()` stays coerced), so the handler's later set does nothing. Path parameters (text) and
 * dates and bigints (JSON has neither) stay as the handler makes them. Once per router, before it serves.
 */
export function keepJsonBodyTypes(router: OpenApiRouter): JsonBodyTypes {
  const known = done.get(router);
  if (known) return known;
  const procedures = router._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; inputs: unknown[] } }
  >;
  const strict = new Map<ZodDef, string>();
  const text = new Set<ZodDef>();
  for (const [path, procedure] of Object.entries(procedures)) {
    const openapi = procedure._def.meta?.openapi;
    if (!openapi) continue;
    const inBody = openapi.method !== "GET" && openapi.method !== "DELETE";
    const pathNames = new Set([...openapi.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    for (const input of procedure._def.inputs) {
      walkCoercible(input as ZodLike, path, (def, where, topKey) => {
        if (inBody && !(topKey !== undefined && pathNames.has(topKey))) {
          if (!strict.has(def)) strict.set(def, where);
        } else text.add(def);
      });
    }
  }
  const result: JsonBodyTypes = { pinned: 0, conflicts: [] };
  for (const [def, where] of strict) {
    if (text.has(def)) {
      result.conflicts.push(where);
      continue;
    }
    const declared = def.coerce === true;
    Object.defineProperty(def, "coerce", {
      get: () => declared,
      set: () => {},
      enumerable: true,
      configurable: false,
    });
    result.pinned++;
  }
  done.set(router, result);
  return result;
}

/**
 * Calls `found` with each number and boolean field trpc-to-openapi's `coerceSchema` reaches in an input:
 * the input object's fields, through optional, nullable, default and array wrappers, and the fields of
 * objects nested the same way. `topKey` is the input's own field the value sits under.
 */
function walkCoercible(
  schema: ZodLike,
  where: string,
  found: (def: ZodDef, where: string, topKey: string | undefined) => void,
  topKey?: string,
): void {
  const object = unwrapZodType(schema, true);
  if (!instanceofZodTypeObject(object)) return;
  for (const [key, field] of Object.entries(object.shape)) {
    const inner = unwrapZodType(field as ZodLike, false);
    const at = `${where}.${key}`;
    if (instanceofZodTypeKind(inner, "number") || instanceofZodTypeKind(inner, "boolean")) {
      found((inner as unknown as { _zod: { def: ZodDef } })._zod.def, at, topKey ?? key);
    } else if (instanceofZodTypeObject(inner)) walkCoercible(inner, at, found, topKey ?? key);
  }
}
