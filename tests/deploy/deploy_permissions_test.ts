// Deno Deploy grants a program network, environment and read access only: no writes, no
// subprocesses. This test starts the app exactly so, on PostgreSQL, with islands built beforehand
// (the build step of a deployment), and checks it serves health, a page, a live socket and cron jobs.
import assert from "node:assert/strict";
import { connect } from "../../server/db/sql.ts";
import { site } from "../../fresh.config.ts";
import { ensureIslandBuild } from "../../server/islands/build.ts";
import { createLogger } from "../../server/log.ts";

/** The permissions a Deno Deploy isolate has; `--unstable-cron` is how Deploy's Deno.cron runs here. */
export const deployPermissions = ["--allow-net", "--allow-env", "--allow-read"];

// It always runs on PostgreSQL (Deploy has no data folder), so it runs in the PostgreSQL half of the tests
// only: in the embedded half it would repeat the same run (about a minute of waiting for a cron tick).
const serverUrl = Deno.env.get("DATABASE_URL") ?? "";

// Like the other database tests: a fresh database on the server, or a skip that says why
async function reachable(url: string): Promise<string | null> {
  const sql = connect(url, { max: 1 });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return `no PostgreSQL at ${new URL(url).host}: ${(error as Error).message}`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const skipReason = serverUrl !== ""
  ? await reachable(serverUrl)
  : "DATABASE_URL is not set: this test runs with the PostgreSQL half of the tests";
if (skipReason && serverUrl) console.warn(`Skipping the Deno Deploy test: ${skipReason}`);

Deno.test({
  name:
    "with only Deno Deploy's permissions the app answers /health, a page, a live socket and runs cron jobs",
  ignore: skipReason !== null,
  async fn() {
    await ensureIslandBuild(createLogger("error"), { islands: Object.keys(site.islands) });
    const name = `techmart_deploy_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = connect(serverUrl, { max: 1 });
    await admin.unsafe(`create database ${name}`);
    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${name}`;
    const env = Deno.env.toObject();
    // Deploy has no Redis here and no data folder: the in-process bus and cache stand in
    delete env.REDIS_URL;
    delete env.DATA_DIR;
    // setsid: the app leads its own process group, so the stop reaches everything it started
    const child = new Deno.Command("setsid", {
      args: [Deno.execPath(), "run", ...deployPermissions, "--unstable-cron", "main.ts"],
      cwd: new URL("../../", import.meta.url).pathname,
      clearEnv: true,
      env: {
        ...env,
        DATABASE_URL: databaseUrl.toString(),
        PORT: "0",
        HOST: "127.0.0.1",
        SEED_SAMPLE_DATA: "never",
        JOBS: "on",
        LOG_LEVEL: "warn",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const lines = readLines(child.stdout);
    try {
      let url = "";
      let password = "";
      while (!url || !password) {
        const { value, done } = await lines.next();
        if (done) throw new Error(`The app ended before it was ready: ${await stderr}`);
        url ||= /ready at (http:\/\/\S+)/.exec(value)?.[1] ?? "";
        password ||= /^\s+admin\s+admin\s+password (\S+)/.exec(value)?.[1] ?? "";
      }

      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      const report = await health.json();
      assert.deepEqual([report.status, report.database.kind], ["ok", "postgres"]);

      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: url },
        body: JSON.stringify({ username: "admin", password }),
      });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = login.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
      await login.body?.cancel();

      const page = await fetch(`${url}/`, { headers: { cookie } });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<title>Dashboard · TechMart Analytics<\/title>/);
      assert.match(html, /src="\/build\/_boot-[0-9a-f]+\.js"/, "the prebuilt islands are served");

      // The plain live socket: a metrics snapshot comes first
      const first = await firstSocketMessage(
        `${url.replace("http", "ws")}/api/v1/ws/dashboard?channels=metrics`,
        { cookie, origin: url },
      );
      assert.equal(first.channel, "metrics");

      // Deno.cron runs the schedule: the every-minute cron flushes the app's query timings to the
      // database, so rows there within about a minute show that cron ran with Deploy's permissions (the
      // background jobs themselves run every 5 minutes or less often)
      const appSql = connect(databaseUrl.toString(), { max: 1 });
      let flushed = 0;
      try {
        for (let attempt = 0; attempt < 90 && flushed === 0; attempt++) {
          [{ flushed }] = await appSql<
            [{ flushed: number }]
          >`select count(*)::int as flushed from query_timings`;
          if (flushed === 0) await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      } finally {
        await appSql.end({ timeout: 1 });
      }
      assert.ok(flushed > 0, "the every-minute cron ran and flushed the query timings");

      assert.doesNotMatch(
        await stopGroup(child, stderr),
        /PermissionDenied|NotCapable|Requires (write|run) access/,
      );
    } finally {
      await stopGroup(child, stderr);
      await lines.return(undefined);
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  },
});

// The first message of a live socket, or a clear failure: the socket closed first, failed, or
// nothing came within 30 s (never a hang)
async function firstSocketMessage(
  address: string,
  headers: Record<string, string>,
): Promise<{ channel: string }> {
  const socket = new WebSocket(address, { headers } as unknown as string[]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<{ channel: string }>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`No message on ${address} within 30 s`)), 30_000);
      socket.onmessage = (event) => resolve(JSON.parse(event.data));
      socket.onerror = () => reject(new Error(`The live socket ${address} failed`));
      socket.onclose = (event) =>
        reject(new Error(`The live socket closed before a message: ${event.code} ${event.reason}`));
    });
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

// SIGTERM to the whole group (the app stops gracefully on it); returns what it wrote on stderr
async function stopGroup(child: Deno.ChildProcess, stderr: Promise<string>): Promise<string> {
  try {
    Deno.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await child.status;
  return await stderr;
}

// stdout line by line (JSR's TextLineStream is out of reach of this project's registries)
async function* readLines(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
): AsyncGenerator<string, void, undefined> {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    pending += text;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    yield* parts;
  }
  if (pending) yield pending;
}
