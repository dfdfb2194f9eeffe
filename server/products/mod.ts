import { defineDomain } from "../domain.ts";
import { productsRouter } from "./router.ts";

/** The catalogue and the one stock module. */
export const productsDomain = defineDomain({
  folder: "products",
  routers: { products: productsRouter },
  events: ["stock.changed", "product.changed"],
  exports: ["products"],
  pages: [{ path: "/products", route: "products" }],
});
