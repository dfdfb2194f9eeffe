// Throwaway Redis and PostgreSQL servers on private ports, for tests that stop and restart them.
// The machine's shared servers (5432, 6379) serve other test runs and are never touched.
import { join } from "node:path";
import { freePort } from "../../server/testing/free_port.ts";

/** A server process the test owns: it can be stopped and started again on the same port. */
export interface PrivateServer {
  url: string;
  port: number;
  /** Stops the server (Redis: SIGKILL, as a crash; PostgreSQL: fast shutdown, clients get 57P01). */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
}

const redisBinary = "redis-server";
const pgBinDir = findPgBinDir();

/** Why the private servers cannot run here, or undefined when they can (used in `ignore:`). */
export function missingServerBinaries(): string | undefined {
  if (!commandExists(redisBinary)) return "redis-server is not installed";
  if (!pgBinDir) return "PostgreSQL server binaries (initdb, pg_ctl) are not installed";
  return undefined;
}

/** Starts a Redis that keeps nothing on disk, as a child process of this test. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "techmart-redis-" });
  let child: Deno.ChildProcess | undefined;

  async function start() {
    child = new Deno.Command(redisBinary, {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--dir",
        dir,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForPort(port, `Redis on port ${port}`);
  }

  async function stop() {
    if (!child) return;
    const running = child;
    child = undefined;
    try {
      running.kill("SIGKILL");
    } catch {
      // already gone
    }
    await running.status;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async dispose() {
      await stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Creates and starts a PostgreSQL cluster in a temporary folder (trust auth, user postgres). As root
 * the server binaries refuse to run, so they run as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  if (!pgBinDir) throw new Error("PostgreSQL server binaries are not installed");
  const port = freePort();
  const asRoot = Deno.uid() === 0;
  const base = await Deno.makeTempDir({ prefix: "techmart-pg-" });
  const dataDir = join(base, "data");
  if (asRoot) await run("chown", ["postgres:postgres", base]);
  await Deno.chmod(base, 0o755);
  await runPg("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], asRoot);
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;

  async function start() {
    await runPg(
      "pg_ctl",
      ["-D", dataDir, "-o", options, "-l", join(base, "log"), "-w", "-t", "30", "start"],
      asRoot,
    );
    await waitForPort(port, `PostgreSQL on port ${port}`);
  }
  async function stop() {
    await runPg("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"], asRoot).catch(() => {});
  }

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async dispose() {
      await runPg("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"], asRoot).catch(() => {});
      await Deno.remove(base, { recursive: true }).catch(() => {});
    },
  };
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function runPg(tool: string, args: string[], asRoot: boolean): Promise<void> {
  const binary = join(pgBinDir!, tool);
  if (asRoot) await run("runuser", ["-u", "postgres", "--", binary, ...args]);
  else await run(binary, args);
}

async function run(command: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) || new TextDecoder().decode(output.stdout);
    throw new Error(`${command} ${args.join(" ")} failed: ${text.trim()}`);
  }
}

function findPgBinDir(): string | undefined {
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((entry) => entry.name)
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = `/usr/lib/postgresql/${version}/bin`;
      if (fileExists(join(dir, "initdb")) && fileExists(join(dir, "pg_ctl"))) return dir;
    }
  } catch {
    // not installed
  }
  return undefined;
}

function commandExists(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && fileExists(join(dir, name))) return true;
  }
  return false;
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Polls `condition` (sync or async; a throw counts as false) until it holds, or fails with `message`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${message} (waited ${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
