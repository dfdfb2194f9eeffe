import { defineDomain } from "../domain.ts";
import { importsRouter } from "./router.ts";

/** CSV imports: mappings, the importer, uploads. */
export const importDomain = defineDomain({
  folder: "import",
  routers: { imports: importsRouter },
  pages: [{ path: "/admin/import", route: "admin/import" }],
});
