/**
 * `deno task bench ws [--clients 1000] [--transactions 100]`: starts the app as its own process (a
 * fresh database: embedded, or on DATABASE_URL's server; Redis when REDIS_URL is set), opens N plain
 * WebSocket clients on `/api/v1/ws/dashboard?channels=transactions`, creates transactions through
 * the REST API one after another, and prints the commit-to-client latency (from the event's
 * timestamp, taken right after the commit, to each client's receipt) at p50/p99, and the server's
 * resident memory per 1,000 open clients (read after a full garbage collection, through the inspector
 * the app is started with). Use `--clients 10000` for the large run (mind `ulimit -n`).
 */
import { catalog, json, managerToken, settledResidentBytes, startAppProcess } from "./_app_process.ts";

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

interface Client {
  socket: WebSocket;
  /** transaction id -> receipt time (ms since epoch) and the event's timestamp */
  received: Map<number, { at: number; published: number }>;
}

function openClient(url: string, token: string, onMessage: () => void): Promise<Client> {
  const socket = new WebSocket(
    `${url.replace(/^http/, "ws")}/api/v1/ws/dashboard?channels=transactions`,
    // Deno's client takes `{ headers }`; the DOM typings in this project only know protocols
    { headers: { authorization: `Bearer ${token}` } } as unknown as string[],
  );
  const client: Client = { socket, received: new Map() };
  socket.onmessage = (event) => {
    const at = Date.now();
    const message = JSON.parse(event.data) as { data: { id: number; publishedAt: string } };
    client.received.set(message.data.id, { at, published: Date.parse(message.data.publishedAt) });
    onMessage();
  };
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(client);
    socket.onerror = (event) =>
      reject(new Error(`A client could not connect: ${(event as ErrorEvent).message}`));
  });
}

/** Runs the bench; see the module comment for the flags. */
export async function run(args: string[]): Promise<void> {
  const clientCount = flag(args, "--clients", 1_000);
  const sales = flag(args, "--transactions", 100);
  const server = await startAppProcess("ws", { sockets: clientCount, inspect: true });
  const clients: Client[] = [];
  try {
    const token = await managerToken(server.url, "bench-ws");
    const { productIds, customerIds } = await catalog(server.url, token, { minStock: 20 });
    if (productIds.length === 0 || customerIds.length === 0) {
      throw new Error("The sample shop has no stock to sell");
    }
    let deliveries = 0;
    let wake: (() => void) | undefined;
    const onMessage = () => {
      deliveries++;
      wake?.();
    };

    const sell = async (index: number): Promise<number> => {
      const response = await fetch(`${server.url}/api/v1/transactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          customerId: customerIds[index % customerIds.length],
          productId: productIds[index % productIds.length],
          quantity: 1,
          paymentMethod: "card",
        }),
      });
      return (await json<{ id: number }>(response, "Creating a transaction")).id;
    };

    // Warm up the server's code paths before measuring its memory
    const warm = await openClient(server.url, token, () => {});
    await sell(0);
    warm.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Both readings after a full collection: without it the figure swung from -303 to +38 MiB per 1,000
    // clients, as the start-up's garbage was or was not collected while the clients connected
    const before = await settledResidentBytes(server);

    const connectStart = performance.now();
    const batch = 250;
    for (let i = 0; i < clientCount; i += batch) {
      const opened = await Promise.all(
        Array.from(
          { length: Math.min(batch, clientCount - i) },
          () => openClient(server.url, token, onMessage),
        ),
      );
      clients.push(...opened);
    }
    const connectMs = performance.now() - connectStart;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await settledResidentBytes(server);

    const ids: number[] = [];
    const runStart = performance.now();
    for (let i = 1; i <= sales; i++) {
      const expected = deliveries + clientCount;
      ids.push(await sell(i));
      // one sale at a time: wait until every client has it (or give up after 5 s)
      const deadline = Date.now() + 5_000;
      while (deliveries < expected && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    }
    const runMs = performance.now() - runStart;

    const latencies: number[] = [];
    let missing = 0;
    for (const client of clients) {
      for (const id of ids) {
        const receipt = client.received.get(id);
        if (receipt) latencies.push(receipt.at - receipt.published);
        else missing++;
      }
    }
    latencies.sort((a, b) => a - b);
    const perThousandMiB = (after - before) / clientCount * 1_000 / (1024 * 1024);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    console.log(
      `server: ${server.url} (${Deno.env.get("DATABASE_URL") ? "PostgreSQL" : "embedded"} database, ${
        Deno.env.get("REDIS_URL") ? "Redis" : "in-process"
      } bus)`,
    );
    console.log(`clients: ${clientCount} connected in ${(connectMs / 1000).toFixed(1)} s`);
    console.log(
      `server memory: ${(before / 2 ** 20).toFixed(0)} MiB before, ${
        (after / 2 ** 20).toFixed(0)
      } MiB with ${clientCount} clients` +
        ` = ${perThousandMiB.toFixed(1)} MiB per 1,000 clients`,
    );
    console.log(
      `transactions: ${sales} in ${(runMs / 1000).toFixed(1)} s; deliveries ${latencies.length} of ${
        sales * clientCount
      } (missing ${missing})`,
    );
    console.log(
      `commit-to-client latency: p50 ${p50} ms, p99 ${p99} ms, max ${
        latencies.at(-1)
      } ms (millisecond clock)`,
    );
    console.log(
      `ws clients=${clientCount} p50=${p50}ms p99=${p99}ms memory=${
        perThousandMiB.toFixed(1)
      }MiB/1000 missing=${missing}`,
    );
  } finally {
    for (const client of clients) client.socket.close();
    await server.stop();
  }
}

if (import.meta.main) await run(Deno.args);
