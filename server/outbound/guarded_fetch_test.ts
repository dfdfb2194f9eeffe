import assert from "node:assert/strict";
import { guardedFetch, OutboundError, parseOutboundAllowlist } from "./mod.ts";

const testdata = new URL("./testdata/", import.meta.url);
const loopbackAllowed = parseOutboundAllowlist("127.0.0.1");

/** A real listener on 127.0.0.1 that records what reached it. */
function listen(handler: (request: Request) => Response | Promise<Response>) {
  const seen: { url: string; host: string | null; body: string }[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
    seen.push({ url: request.url, host: request.headers.get("host"), body: await request.text() });
    return await handler(request);
  });
  return { server, seen, port: server.addr.port, [Symbol.asyncDispose]: () => server.shutdown() };
}

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(() => null, (caught) => caught);
  assert.ok(error instanceof OutboundError, `expected an OutboundError, got ${error}`);
  return error;
}

Deno.test("guardedFetch() refuses a loopback listener unless OUTBOUND_ALLOWLIST names it", async () => {
  await using target = listen(() => new Response("secret"));
  const url = `http://127.0.0.1:${target.port}/latest/meta-data/`;
  const error = await refusal(guardedFetch(url));
  assert.equal(error.kind, "refused");
  assert.match(error.message, /a loopback address/);
  assert.equal(target.seen.length, 0, "nothing reached the listener");
  const allowed = await guardedFetch(url, { method: "POST", body: "{}" }, { allowlist: loopbackAllowed });
  assert.equal(allowed.status, 200);
  assert.equal(await allowed.text(), "secret");
  assert.equal(target.seen[0].body, "{}");
});

Deno.test("guardedFetch() checks resolved addresses and connects to the checked one (no rebinding)", async () => {
  await using target = listen(() => new Response("pinned"));
  const rebinding = guardedFetch(`http://hooks.example.com:${target.port}/`, {}, {
    resolve: () => Promise.resolve(["93.184.215.14", "127.0.0.1"]),
  });
  const error = await refusal(rebinding);
  assert.equal(error.kind, "refused");
  assert.match(error.message, /hooks\.example\.com \(127\.0\.0\.1\), a loopback address/);
  const metadata = await refusal(guardedFetch("http://metadata.example/", {}, {
    resolve: () => Promise.resolve(["169.254.169.254"]),
  }));
  assert.match(metadata.message, /link-local/);
  assert.equal(target.seen.length, 0);
  // resolved once, then the connection goes to that address while the Host header keeps the name
  let lookups = 0;
  const response = await guardedFetch(`http://hooks.internal:${target.port}/x?y=1`, {}, {
    allowlist: loopbackAllowed,
    resolve: () => Promise.resolve([lookups++ === 0 ? "127.0.0.1" : "10.0.0.1"]),
  });
  assert.equal(await response.text(), "pinned");
  assert.equal(lookups, 1);
  assert.equal(target.seen[0].host, `hooks.internal:${target.port}`);
  assert.match(target.seen[0].url, /\/x\?y=1$/);
});

Deno.test("guardedFetch() does not follow redirects, bounds the answer and the time", async () => {
  await using target = listen(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/redirect") return Response.redirect("http://169.254.169.254/latest/meta-data/", 302);
    if (path === "/big") return new Response("x".repeat(10_000));
    if (path === "/chunked") {
      return new Response(
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("y".repeat(1_000)));
            controller.close();
          },
        }),
      );
    }
    if (path === "/slow") await new Promise((resolve) => setTimeout(resolve, 2_000));
    return new Response("ok");
  });
  const base = `http://127.0.0.1:${target.port}`;
  const options = { allowlist: loopbackAllowed, maxResponseBytes: 5_000, timeoutMs: 1_000 };
  const redirect = await refusal(guardedFetch(`${base}/redirect`, {}, options));
  assert.equal(redirect.kind, "redirect");
  assert.match(redirect.message, /answered 302 .*redirects are not followed/);
  assert.equal(target.seen.length, 1, "the redirect target was never asked");
  assert.equal((await refusal(guardedFetch(`${base}/big`, {}, options))).kind, "too_large");
  assert.equal((await refusal(guardedFetch(`${base}/chunked`, {}, options))).kind, "too_large");
  const small = await guardedFetch(`${base}/chunked`, {}, { ...options, maxResponseBytes: 10_000 });
  assert.equal((await small.text()).length, 10_000, "a chunked answer within the limit arrives whole");
  assert.equal((await refusal(guardedFetch(`${base}/slow`, {}, options))).kind, "timeout");
});

Deno.test("guardedFetch() over TLS verifies the certificate against the URL's host name", async () => {
  const [cert, key, ca] = await Promise.all(
    ["hooks.pem", "hooks.key", "ca.pem"].map((name) => Deno.readTextFile(new URL(name, testdata))),
  );
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", cert, key, onListen: () => {} },
    () => new Response("over tls"),
  );
  try {
    const port = server.addr.port;
    const options = {
      allowlist: loopbackAllowed,
      caCerts: [ca],
      resolve: () => Promise.resolve(["127.0.0.1"]),
    };
    const response = await guardedFetch(`https://hooks.test:${port}/`, {}, options);
    assert.equal(await response.text(), "over tls");
    const wrongName = await refusal(guardedFetch(`https://other.test:${port}/`, {}, options));
    assert.equal(wrongName.kind, "network", "a certificate for another name is refused");
    const unknownCa = await refusal(
      guardedFetch(`https://hooks.test:${port}/`, {}, { ...options, caCerts: [] }),
    );
    assert.equal(unknownCa.kind, "network", "a certificate from an unknown authority is refused");
  } finally {
    await server.shutdown();
  }
});
