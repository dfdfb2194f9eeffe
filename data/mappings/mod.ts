import type { Mapping } from "../../server/import/mapping.ts";
import { onlineRetailMapping } from "./online_retail.ts";

/** Every mapping `deno task import --mapping NAME` knows, by name. */
export const mappings: Record<string, Mapping> = {
  [onlineRetailMapping.name]: onlineRetailMapping,
};

/** The mapping called `name`, or undefined. */
export function findMapping(name: string): Mapping | undefined {
  return Object.hasOwn(mappings, name) ? mappings[name] : undefined;
}
