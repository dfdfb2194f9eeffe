import { parse as parseYaml } from "yaml";
import {
  compileMapping,
  type CompileOptions,
  MappingSpecError,
  parseMappingSpec,
} from "./declarative_mapping.ts";
import type { Mapping } from "./mapping.ts";
import type { MappingSpec } from "./mapping_spec.ts";
import onlineRetail from "./mappings/online_retail.json" with { type: "json" };
import shopifyOrders from "./mappings/shopify_orders.json" with { type: "json" };
import shopifyProducts from "./mappings/shopify_products.json" with { type: "json" };
import woocommerceOrders from "./mappings/woocommerce_orders.json" with { type: "json" };

/** The mappings that ship with the app, by name (each a data file in server/import/mappings/). */
export const builtInMappings: Record<string, MappingSpec> = Object.fromEntries(
  [onlineRetail, shopifyOrders, shopifyProducts, woocommerceOrders].map((json) => {
    const spec = parseMappingSpec(json);
    return [spec.name, spec];
  }),
);

/** The built-in mapping called `name`, compiled; undefined when there is none. */
export function findMapping(name: string, options: CompileOptions = {}): Mapping | undefined {
  return Object.hasOwn(builtInMappings, name) ? compileMapping(builtInMappings[name], options) : undefined;
}

/**
 * A mapping by built-in name or by the path of a JSON or YAML mapping file.
 * @throws MappingSpecError naming each problem in the file; Deno.errors.NotFound for neither
 */
export async function loadMapping(nameOrPath: string, options: CompileOptions = {}): Promise<Mapping> {
  const builtIn = findMapping(nameOrPath, options);
  if (builtIn) return builtIn;
  const text = await Deno.readTextFile(nameOrPath);
  let json: unknown;
  try {
    json = /\.ya?ml$/i.test(nameOrPath) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new MappingSpecError(`${nameOrPath}: cannot be read: ${(error as Error).message}`);
  }
  return compileMapping(parseMappingSpec(json, nameOrPath), options);
}
