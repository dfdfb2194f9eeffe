import { defineDomain } from "../domain.ts";
import { suppliersRouter } from "./router.ts";

/** Suppliers and their terms (edited on the Inventory and Products pages). */
export const suppliersDomain = defineDomain({
  folder: "suppliers",
  routers: { suppliers: suppliersRouter },
});
