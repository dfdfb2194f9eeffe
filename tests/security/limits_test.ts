// Finding 3 and 8 of issue #13, attacked as the review did: limits come before any work.
import assert from "node:assert/strict";
import { signInOverHttp, startAuthTestApp } from "../../server/auth/_auth_fixtures.ts";
import { wsUrl } from "../live/_live_fixtures.ts";
import { closedWithin, errorCodeOf, openTrpcSocket } from "./_trpc_socket.ts";

// Low enough that a batch or a socket of 45 calls passes it, even across a one-minute window edge
const perMinute = 20;

/** Sends a request head and the first `sent` bytes of a body that never completes; returns the answer's status line. */
async function stallBody(
  url: string,
  path: string,
  declared: number,
  sent: number,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<string> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  try {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${lines}content-length: ${declared}\r\n\r\n`;
    await conn.write(new TextEncoder().encode(head + "{".repeat(sent)));
    const buffer = new Uint8Array(4096);
    const read = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, read ?? 0)).split("\r\n")[0];
  } finally {
    conn.close();
  }
}

/** A 2 MiB form body, streamed (so sent without a Content-Length). */
function twoMebibytes(): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`a=${"x".repeat(64 * 1024)}&`);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= 2 * 1024 * 1024) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

Deno.test({
  name:
    "limits before work: body size and time, batch size, calls charged, frame size (issue #13 findings 3, 8)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const app = await startAuthTestApp({
      RATE_LIMIT_PER_MINUTE: String(perMinute),
      HTTP_BODY_TIMEOUT_MS: "300",
    });
    try {
      const admin = await signInOverHttp(app, "admin");
      const newToken = async () => {
        const response = await app.fetch("/api/v1/auth/tokens", {
          method: "POST",
          headers: admin.headers(),
          body: JSON.stringify({ name: `limits-${crypto.randomUUID().slice(0, 6)}`, role: "viewer" }),
        });
        return (await response.json() as { token: string }).token;
      };

      await t.step("a huge form on a page path is refused before anything is parsed", async () => {
        // Declared: refused from the head alone, nothing read
        const declared = await stallBody(app.url, "/products", 150 * 1024 * 1024, 10, {
          cookie: "techmart_session=x",
          "content-type": "application/x-www-form-urlencoded",
        });
        assert.match(declared, /^HTTP\/1\.1 413/);
        // Streamed without a Content-Length: a page path takes no form, so nothing is read for CSRF
        const page = await app.fetch("/products", {
          method: "POST",
          headers: { cookie: "techmart_session=x", "content-type": "application/x-www-form-urlencoded" },
          body: twoMebibytes(),
        });
        assert.equal(page.status, 403);
        await page.body?.cancel();
        // ...and the one form that is read (sign-out) stops at its bound
        const form = await app.fetch("/logout", {
          method: "POST",
          headers: { cookie: "techmart_session=x", "content-type": "application/x-www-form-urlencoded" },
          body: twoMebibytes(),
        });
        assert.equal(form.status, 413);
        await form.body?.cancel();
      });

      await t.step("a body that trickles in gets 408 instead of holding the request", async () => {
        const status = await stallBody(app.url, "/api/v1/auth/login", 100, 10);
        assert.match(status, /^HTTP\/1\.1 408/);
      });

      await t.step("a batch of 400 procedures gets 400 and runs none", async () => {
        const paths = Array.from({ length: 400 }, () => "auth.me").join(",");
        const response = await app.fetch(`/trpc/${paths}?batch=1`, { headers: admin.headers() });
        assert.equal(response.status, 400);
        await response.body?.cancel();
      });

      await t.step("tRPC answers are never stored: Cache-Control no-store", async () => {
        const response = await app.fetch("/trpc/auth.me", { headers: admin.headers() });
        assert.equal(response.headers.get("cache-control"), "no-store");
        await response.body?.cancel();
      });

      await t.step("every item of a batch counts against the caller's rate limit", async () => {
        const token = await newToken();
        const paths = Array.from({ length: 45 }, () => "auth.me").join(",");
        const response = await app.fetch(`/trpc/${paths}?batch=1`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const answers = await response.json() as { error?: { json?: { data?: { code?: string } } } }[];
        assert.equal(answers.length, 45);
        const limited = answers.filter((answer) => answer.error?.json?.data?.code === "TOO_MANY_REQUESTS");
        assert.ok(limited.length >= 45 - 2 * perMinute, `${limited.length} of 45 items were limited`);
      });

      await t.step("every call on a socket counts against the caller's rate limit", async () => {
        const token = await newToken();
        const socket = await openTrpcSocket(wsUrl(app.url, `/trpc?access_token=${token}`));
        const codes: (string | undefined)[] = [];
        for (let i = 0; i < 45; i++) codes.push(errorCodeOf(await socket.call("query", "auth.me")));
        const limited = codes.filter((code) => code === "TOO_MANY_REQUESTS").length;
        assert.ok(limited >= 45 - 2 * perMinute, `${limited} of 45 calls were limited`);
        await socket.close();
      });

      await t.step("a frame over 1 MiB closes the socket with 1009", async () => {
        const token = await newToken();
        const socket = await openTrpcSocket(wsUrl(app.url, `/trpc?access_token=${token}`));
        socket.send(
          JSON.stringify({
            id: 1,
            method: "query",
            params: { path: "auth.me", input: "x".repeat(2 * 1024 * 1024) },
          }),
        );
        assert.equal((await closedWithin(socket.closed, 2_000)).code, 1009);
      });

      await t.step("/health is open but limited per address", async () => {
        const first = await app.fetch("/health");
        assert.equal(first.status, 200);
        await first.body?.cancel();
        let limited = 0;
        for (let i = 0; i < 4 * perMinute + 5 && limited === 0; i++) {
          const response = await app.fetch("/health");
          await response.body?.cancel();
          if (response.status === 429) limited++;
        }
        assert.equal(limited, 1, "a flood of /health requests was never limited");
      });
    } finally {
      await app.stop();
    }
  },
});
