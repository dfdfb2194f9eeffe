import assert from "node:assert/strict";
import { connectGuarded, OutboundError, parseOutboundAllowlist } from "./mod.ts";

Deno.test("connectGuarded() opens raw TCP (SMTP and the like) only to checked addresses", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("220 ready\r\n"));
    conn.close();
  })();
  try {
    const refused = await connectGuarded("127.0.0.1", port).catch((error) => error);
    assert.ok(refused instanceof OutboundError && refused.kind === "refused");
    const rebinding = await connectGuarded("smtp.example.com", port, {
      resolve: () => Promise.resolve(["192.168.1.5"]),
    }).catch((error) => error);
    assert.ok(
      rebinding instanceof OutboundError && /smtp\.example\.com \(192\.168\.1\.5\)/.test(rebinding.message),
    );
    const conn = await connectGuarded("smtp.internal", port, {
      allowlist: parseOutboundAllowlist("smtp.internal"),
      resolve: () => Promise.resolve(["127.0.0.1"]),
    });
    const buffer = new Uint8Array(64);
    const read = await conn.read(buffer);
    assert.equal(new TextDecoder().decode(buffer.subarray(0, read ?? 0)), "220 ready\r\n");
    conn.close();
    await accepted;
  } finally {
    listener.close();
  }
});
