/** `deno task build`: bundles the islands into build/ (content-hashed), even when they look fresh. */
import { site } from "../fresh.config.ts";
import { ensureIslandBuild } from "../server/islands/build.ts";
import { createLogger } from "../server/log.ts";

const manifest = await ensureIslandBuild(createLogger("info"), {
  islands: Object.keys(site.islands),
  force: true,
});
console.log(`Built ${Object.keys(manifest.files).length} bundles into build/`);
