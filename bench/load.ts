/**
 * `deno task bench load [--users 1000] [--seconds 30] [--interval-ms 3000] [--writers 0.05]`
 *
 * Starts the app as its own process (a fresh database on DATABASE_URL's server, or embedded; Redis
 * when REDIS_URL is set), then simulates dashboard users for a bounded time: each holds one
 * WebSocket on `/api/v1/ws/dashboard` and asks for the dashboard overview every few seconds (with
 * jitter); a share of them also creates a transaction every ten seconds. Prints throughput, p50/p99
 * latency, errors and the server's resident memory, beside the requests per second a hello-world
 * `Deno.serve` process answers on this machine in the same run (the ceiling).
 */
import { parseArgs } from "node:util";
import {
  catalog,
  managerToken,
  residentBytes,
  type ServerProcess,
  settledResidentBytes,
  spawnServer,
  startAppProcess,
} from "./_app_process.ts";
import { percentile } from "./scale.ts";

async function startHelloWorld(): Promise<ServerProcess> {
  const code = `Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => ` +
    `console.log("listening on http://127.0.0.1:" + port) }, () => new Response("Hello, world"));`;
  return await spawnServer(["eval", code], {}, async () => {});
}

async function residentMegabytes(pid: number): Promise<number> {
  return await residentBytes(pid) / (1024 * 1024);
}

/** Requests per second a closed loop of `concurrency` clients gets from `url` in `seconds`. */
async function closedLoopRps(url: string, concurrency: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const response = await fetch(url);
      await response.arrayBuffer();
      done++;
    }
  }));
  return done / seconds;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: "string", default: "1000" },
      seconds: { type: "string", default: "30" },
      "interval-ms": { type: "string", default: "3000" },
      writers: { type: "string", default: "0.05" },
    },
  });
  const users = Number(values.users);
  const seconds = Number(values.seconds);
  const intervalMs = Number(values["interval-ms"]);
  const writerShare = Number(values.writers);

  const hello = await startHelloWorld();
  let ceiling: number;
  try {
    await closedLoopRps(hello.url, 32, 1);
    ceiling = await closedLoopRps(hello.url, 64, 5);
  } finally {
    await hello.stop();
  }
  console.log(`hello-world Deno.serve ceiling: ${Math.round(ceiling)} requests/s (64 concurrent, 5 s)`);

  // with the inspector, the memory is also read after a full collection: the resident figure alone moved
  // 574-912 MB between runs of the same code, by when the last collection happened (docs/performance.md)
  const app = await startAppProcess("load", { sockets: users, inspect: true });
  const sockets: WebSocket[] = [];
  try {
    const token = await managerToken(app.url, "bench-load");
    const headers = { authorization: `Bearer ${token}` };
    const { productIds, customerIds } = await catalog(app.url, token, { minStock: 50 });
    const memoryBefore = await residentMegabytes(app.pid);

    let socketErrors = 0;
    let messages = 0;
    let stopping = false;
    const wsUrl = `${app.url.replace(/^http/, "ws")}/api/v1/ws/dashboard?channels=metrics,transactions`;
    // Connect in waves of 100, as a crowd arriving, not one burst
    for (let i = 0; i < users; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, users - i) }, () =>
          new Promise<void>((resolve) => {
            // Deno's client takes `{ headers }`; the DOM typings in this project only know protocols
            const socket = new WebSocket(wsUrl, { headers } as unknown as string[]);
            socket.onopen = () => resolve();
            socket.onmessage = () => messages++;
            socket.onerror = () => {
              socketErrors++;
              resolve();
            };
            socket.onclose = () => {
              if (!stopping) socketErrors++;
            };
            sockets.push(socket);
          })),
      );
    }
    const openSockets = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    console.log(
      `${openSockets} of ${users} WebSockets open; server memory ${memoryBefore.toFixed(0)} MB before them`,
    );

    const latencies: number[] = [];
    const writeLatencies: number[] = [];
    let errors = 0;
    const errorSamples = new Set<string>();
    const started = performance.now();
    const until = started + seconds * 1000;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    const timed = async (list: number[], request: () => Promise<Response>) => {
      const t0 = performance.now();
      try {
        const response = await request();
        await response.arrayBuffer();
        if (!response.ok) {
          errors++;
          errorSamples.add(`HTTP ${response.status}`);
        }
      } catch (error) {
        errors++;
        errorSamples.add((error as Error).message.slice(0, 80));
      }
      list.push(performance.now() - t0);
    };

    const user = async (index: number) => {
      const writer = index < users * writerShare;
      await sleep(Math.random() * intervalMs);
      let nextWrite = performance.now() + Math.random() * 10_000;
      while (performance.now() < until) {
        await timed(latencies, () => fetch(`${app.url}/api/v1/dashboard/overview`, { headers }));
        if (writer && performance.now() >= nextWrite && productIds.length && customerIds.length) {
          nextWrite += 10_000;
          await timed(writeLatencies, () =>
            fetch(`${app.url}/api/v1/transactions`, {
              method: "POST",
              headers: { ...headers, "content-type": "application/json" },
              body: JSON.stringify({
                customerId: customerIds[index % customerIds.length],
                items: [{ productId: productIds[(index * 7) % productIds.length], quantity: 1 }],
                paymentMethod: "card",
              }),
            }));
        }
        await sleep(intervalMs * (0.5 + Math.random()));
      }
    };
    await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
    const elapsed = (performance.now() - started) / 1000;
    const memoryAfter = await residentMegabytes(app.pid);
    const settledAfter = await settledResidentBytes(app) / (1024 * 1024);
    stopping = true;

    const all = [...latencies, ...writeLatencies];
    const rps = all.length / elapsed;
    const p50 = percentile(all, 50);
    const p99 = percentile(all, 99);
    const totalErrors = errors + socketErrors;
    console.log(
      `${users} users for ${
        elapsed.toFixed(0)
      } s: ${all.length} requests (${writeLatencies.length} transactions created), ` +
        `${rps.toFixed(0)} requests/s, ${messages} WebSocket messages received`,
    );
    console.log(
      `latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (overview p99 ${
        percentile(latencies, 99).toFixed(1)
      } ms, ` +
        `create p99 ${percentile(writeLatencies, 99).toFixed(1)} ms)`,
    );
    console.log(
      `errors: ${errors} HTTP, ${socketErrors} WebSocket${
        errorSamples.size ? ` (${[...errorSamples].join("; ")})` : ""
      }`,
    );
    console.log(
      `server memory: ${memoryAfter.toFixed(0)} MB resident with ${openSockets} sockets open, ` +
        `${settledAfter.toFixed(0)} MB after a full collection`,
    );
    console.log(
      `load users=${users} rps=${rps.toFixed(0)} p99_ms=${p99.toFixed(1)} errors=${totalErrors} ceiling_rps=${
        Math.round(ceiling)
      }`,
    );
  } finally {
    for (const socket of sockets) socket.close();
    await app.stop();
  }
}
