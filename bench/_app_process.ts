/**
 * The app as its own process for the benches that load it over the network (`load`, `ws`): a fresh
 * database (on DATABASE_URL's server, or embedded in a temporary DATA_DIR), a manager API token and
 * the sample catalogue to sell from. Measuring a separate process keeps the bench's own clients out
 * of the server's memory and CPU figures.
 */
import { connect } from "../server/db/sql.ts";
import { median } from "../server/fraud/robust_stats.ts";
import { freePort } from "../server/testing/free_port.ts";

/** A child process serving HTTP at `url`; `stop()` ends it and removes what it was given. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** the app's own database, when it runs on DATABASE_URL's server (benches that check rows read it) */
  databaseUrl?: string;
  /** A full garbage collection in the app, through its inspector (only when started with `inspect`). */
  collectGarbage?(): Promise<void>;
  stop(): Promise<void>;
}

/** The admin password every bench-started app is given, so `managerToken()` can sign in. */
const adminPassword = "bench-admin-password-1";

/**
 * Runs `deno <args>` in its own process group (`setsid`) and resolves once it prints its address
 * ("ready at" / "listening on"); `stop()` ends the whole group (the app and anything it started), then
 * runs `cleanup`. With `quietInspector`, the inspector's own lines ("Debugger listening on …", "Debugger
 * session started.") are left out of the child's stderr, so a bench's output reads as without it.
 */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  cleanup: () => Promise<void>,
  options: { quietInspector?: boolean } = {},
): Promise<ServerProcess> {
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), ...args],
    env,
    stdout: "piped",
    stderr: options.quietInspector ? "piped" : "inherit",
  }).spawn();
  if (options.quietInspector) forwardWithoutInspector(child.stderr).catch(() => {});
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The server did not start:\n${output}`);
    output += value;
    url = /(?:ready at|listening on) (http:\/\/\S+)/.exec(output)?.[1];
  }
  // keep draining stdout so the child never blocks on a full pipe
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return {
    url,
    pid: child.pid,
    async stop() {
      stopGroup(child.pid, "SIGTERM");
      const exited = await Promise.race([
        child.status.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000)),
      ]);
      if (!exited) stopGroup(child.pid, "SIGKILL");
      await child.status;
      await cleanup();
    },
  };
}

const inspectorLine = /^(Debugger (listening on|session)|Visit chrome:\/\/inspect)/;

/** Copies a child's stderr to ours line by line, leaving out the inspector's own lines. */
async function forwardWithoutInspector(stderr: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<void> {
  const encoder = new TextEncoder();
  let rest = "";
  for await (const chunk of stderr.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    const kept = lines.filter((line) => !inspectorLine.test(line));
    if (kept.length > 0) await Deno.stderr.write(encoder.encode(kept.map((line) => `${line}\n`).join("")));
  }
  if (rest && !inspectorLine.test(rest)) await Deno.stderr.write(encoder.encode(rest));
}

/** Signals every process of the group `setsid` made (its id is the child's); a gone group is fine. */
function stopGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Starts `main.ts` on a fresh database named after `bench`, with jobs off and the per-user socket
 * and rate limits lifted: a bench is one API token holding up to `sockets` sockets from one address.
 * REDIS_URL, when set, reaches the child through the inherited environment. With `inspect`, the app
 * listens for an inspector on a free local port, so the bench can `collectGarbage()` before it reads
 * the app's memory.
 */
export async function startAppProcess(
  bench: string,
  options: { sockets: number; env?: Record<string, string>; inspect?: boolean },
): Promise<ServerProcess> {
  const env: Record<string, string> = {
    PORT: "0",
    JOBS: "off",
    LOG_LEVEL: "warn",
    ADMIN_PASSWORD: adminPassword,
    LIVE_MAX_SOCKETS_PER_USER: String(options.sockets + 10),
    RATE_LIMIT_PER_MINUTE: "0",
    ...options.env,
  };
  let cleanup = async () => {};
  const serverUrl = Deno.env.get("DATABASE_URL");
  if (serverUrl) {
    const name = `techmart_${bench}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = connect(serverUrl, { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    cleanup = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const dir = await Deno.makeTempDir({ prefix: `techmart-bench-${bench}-` });
    env.DATA_DIR = dir;
    cleanup = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const inspectorPort = options.inspect ? freePort() : undefined;
  try {
    const server = await spawnServer(
      [
        "run",
        "-A",
        "--unstable-cron",
        ...(inspectorPort ? [`--inspect=127.0.0.1:${inspectorPort}`] : []),
        new URL("../main.ts", import.meta.url).pathname,
      ],
      env,
      cleanup,
      { quietInspector: inspectorPort !== undefined },
    );
    return {
      ...server,
      databaseUrl: env.DATABASE_URL,
      collectGarbage: inspectorPort ? () => collectGarbage(inspectorPort) : undefined,
    };
  } catch (error) {
    // The app never came up: its database must not outlive the run
    await cleanup();
    throw error;
  }
}

/**
 * Two full garbage collections in the process whose inspector listens on `port` (Chrome DevTools
 * Protocol, `HeapProfiler.collectGarbage`); the second collects what the first's finalizers let go.
 */
export async function collectGarbage(port: number): Promise<void> {
  const targets = await json<{ webSocketDebuggerUrl: string }[]>(
    await fetch(`http://127.0.0.1:${port}/json/list`),
    "Listing the app's inspector targets",
  );
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  const closed = new Promise((resolve) => socket.addEventListener("close", resolve));
  try {
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("The app's inspector refused the connection"));
    });
    const done = new Promise<void>((resolve) => {
      socket.onmessage = (event) => {
        if ((JSON.parse(event.data) as { id?: number }).id === 2) resolve();
      };
    });
    socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
    socket.send(JSON.stringify({ id: 2, method: "HeapProfiler.collectGarbage" }));
    await done;
  } finally {
    socket.close();
    await closed;
  }
}

/**
 * The app's resident memory once its garbage is collected (when it was started with `inspect`) and the
 * allocator has settled: the median of five readings 100 ms apart. Without the collection, a figure read
 * right after a burst of work swings with whether a collection happened to run in between.
 */
export async function settledResidentBytes(server: ServerProcess): Promise<number> {
  await server.collectGarbage?.();
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    readings.push(await residentBytes(server.pid));
  }
  return median(readings);
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** The JSON body of a successful response; throws with the status and body otherwise. */
export async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return await response.json() as T;
}

/** Signs in as the admin of an app from `startAppProcess()` and makes a manager API token named `name`. */
export async function managerToken(url: string, name: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ username: "admin", password: adminPassword }),
  });
  const cookies = login.headers.getSetCookie().map((line) => line.split(";")[0]);
  const { csrfToken } = await json<{ csrfToken: string }>(login, "Signing in");
  const created = await fetch(`${url}/api/v1/auth/tokens`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      cookie: cookies.join("; "),
      "x-csrf-token": csrfToken,
      origin: url,
    },
    body: JSON.stringify({ name, role: "manager" }),
  });
  return (await json<{ token: string }>(created, "Creating an API token")).token;
}

/** Ids of the first 100 products holding at least `minStock` units, and of the first 100 customers. */
export async function catalog(
  url: string,
  token: string,
  options: { minStock: number },
): Promise<{ productIds: number[]; customerIds: number[] }> {
  const headers = { authorization: `Bearer ${token}` };
  const products = await json<{ items: { id: number; stockQuantity: number }[] }>(
    await fetch(`${url}/api/v1/products?limit=100`, { headers }),
    "Listing products",
  );
  const customers = await json<{ items: { id: number }[] }>(
    await fetch(`${url}/api/v1/customers?limit=100`, { headers }),
    "Listing customers",
  );
  return {
    productIds: products.items.filter((p) => p.stockQuantity >= options.minStock).map((p) => p.id),
    customerIds: customers.items.map((c) => c.id),
  };
}
