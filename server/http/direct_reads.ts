import {
  coerceSchema,
  forEachOpenApiProcedure,
  getPathRegExp,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  normalizePath,
  type OpenApiRouter,
  unwrapZodType,
  zodSupportsCoerce,
} from "trpc-to-openapi";
import { z } from "zod";
import type { Meta } from "../trpc/init.ts";

/**
 * The REST reads (GET procedures) as trpc-to-openapi finds and reads them, worked out once per router
 * instead of per request: which procedure a path names (its path templates tried in the router's order,
 * the first that matches wins, case-insensitive), and the input it gets from the query and the path. A
 * profile of a cached read down trpc-to-openapi's handler found a third of its CPU in what that handler
 * repeats for every request: the route search, coercing the input schema, a caller proxy per request.
 */
export interface DirectRead {
  /** the procedure's tRPC path, e.g. `analytics.topProducts` */
  path: string;
  /** false for a public procedure; otherwise a caller is needed before anything runs */
  needsCaller: boolean;
  /** the input is left undefined (a `z.void()`-like input) */
  noInput: boolean;
  /** query keys whose schema is an array: a single value is passed as a one-item array */
  arrayKeys: string[];
}

interface Template {
  /** the normalized path template, e.g. `/alerts/{id}` */
  path: string;
  pattern: RegExp;
  read: DirectRead | undefined;
}

export class DirectReads {
  /** every GET template in the router's order; `read` undefined where the chain must answer */
  #templates: Template[] = [];
  /** paths without a parameter whose first matching template is their own: one lookup, same answer */
  #exact = new Map<string, DirectRead>();

  constructor(router: OpenApiRouter) {
    forEachOpenApiProcedure<Meta>(router._def.procedures, ({ path, type, procedure, meta }) => {
      if (meta.openapi.method !== "GET" || type === "subscription") return;
      const template = normalizePath(meta.openapi.path);
      this.#templates.push({
        path: template,
        pattern: getPathRegExp(template),
        read: readOf(path, procedure, meta),
      });
    });
    for (const { path, read } of this.#templates) {
      if (!read || path.includes("{")) continue;
      const key = path.toLowerCase();
      if (this.#first(key)?.read === read) this.#exact.set(key, read);
    }
  }

  /**
   * The read a path below /api/v1 names and its path parameters, as trpc-to-openapi would route it;
   * undefined when no GET procedure has that path or its input is not a plain object (the chain
   * answers those).
   */
  match(path: string): { read: DirectRead; pathInput: Record<string, string> } | undefined {
    const normal = normalizePath(path);
    const exact = this.#exact.get(normal.toLowerCase());
    if (exact) return { read: exact, pathInput: {} };
    const template = this.#first(normal);
    if (!template?.read) return undefined;
    return { read: template.read, pathInput: { ...template.pattern.exec(normal)?.groups } };
  }

  #first(path: string): Template | undefined {
    return this.#templates.find((template) => template.pattern.test(path));
  }
}

function readOf(path: string, procedure: unknown, meta: Meta): DirectRead | undefined {
  const inputs = (procedure as { _def: { inputs: unknown[] } })._def.inputs;
  // trpc-to-openapi merges several input parsers into one object; those few stay on its path
  if (inputs.length > 1) return undefined;
  const base = { path, needsCaller: meta.minRole !== "public" };
  if (inputs.length === 0) return { ...base, noInput: false, arrayKeys: [] };
  const schema = unwrapZodType(inputs[0] as Parameters<typeof unwrapZodType>[0], true);
  if (instanceofZodTypeLikeVoid(schema)) return { ...base, noInput: true, arrayKeys: [] };
  if (!instanceofZodTypeObject(schema)) return undefined;
  // trpc-to-openapi makes the number, boolean and date fields accept strings (zod's coerce flag, set on
  // the shared schema) the first time it serves a procedure; done here once, at start
  if (zodSupportsCoerce) coerceSchema(schema);
  const arrayKeys = Object.entries(schema.shape).filter(([, shape]) =>
    shape instanceof z.ZodArray ||
    (instanceofZodTypeOptional(shape as Parameters<typeof instanceofZodTypeOptional>[0]) &&
      (shape as z.ZodOptional).unwrap() instanceof z.ZodArray)
  ).map(([key]) => key);
  return { ...base, noInput: false, arrayKeys };
}

/**
 * A read's input from its URL's query and path, as trpc-to-openapi builds it: each query key once as a
 * string (several values: an array), path parameters over query keys, array fields given one value made
 * a one-item array. `false` when the query names something of `Object.prototype` (`?toString=`): the
 * chain answers that 400 itself.
 */
export function directReadInput(
  read: DirectRead,
  search: string,
  pathInput: Record<string, string>,
): Record<string, unknown> | undefined | false {
  const query: Record<string, string | string[]> = {};
  if (search.length > 1) {
    for (const [key, value] of new URLSearchParams(search)) {
      if (key in Object.prototype) return false;
      const known = query[key];
      if (known === undefined) query[key] = value;
      else if (Array.isArray(known)) known.push(value);
      else query[key] = [known, value];
    }
  }
  if (read.noInput) return undefined;
  const input: Record<string, unknown> = { ...query, ...pathInput };
  for (const key of read.arrayKeys) {
    if (input[key] !== undefined && !Array.isArray(input[key])) input[key] = [input[key]];
  }
  return input;
}
