import assert from "node:assert/strict";
import { collectGarbage, residentBytes, settledResidentBytes, spawnServer } from "./_app_process.ts";
import { freePort } from "../server/testing/free_port.ts";

// A server that drops 160 MB of arrays it made and then allocates nothing: without a collection forced
// from outside, its resident memory keeps them (nothing else would make V8 collect)
const dropsGarbage = `
let garbage = [];
for (let i = 0; i < 200; i++) garbage.push(new Array(100_000).fill(i + 0.5));
garbage = null;
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log("listening on http://127.0.0.1:" + port) }, () => new Response("ok"));
`;

Deno.test("settledResidentBytes() reads a bench server's memory after collecting its garbage through the inspector", async () => {
  const dir = await Deno.makeTempDir({ prefix: "techmart-app-process-test-" });
  const script = `${dir}/server.js`;
  await Deno.writeTextFile(script, dropsGarbage);
  const port = freePort();
  const server = await spawnServer(
    ["run", "-A", `--inspect=127.0.0.1:${port}`, script],
    {},
    () => Deno.remove(dir, { recursive: true }),
    { quietInspector: true },
  );
  try {
    const held = await residentBytes(server.pid);
    const settled = await settledResidentBytes({ ...server, collectGarbage: () => collectGarbage(port) });
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    assert.ok(held > 150 * 2 ** 20, `the server holds its garbage before the collection (${mib(held)})`);
    assert.ok(held - settled > 100 * 2 ** 20, `the collection freed ${mib(held - settled)} of ${mib(held)}`);
  } finally {
    await server.stop();
  }
});
