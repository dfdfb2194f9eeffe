import assert from "node:assert/strict";
import { cpuSecondsNow, cpuSecondsOfStat } from "./_process_cpu.ts";

Deno.test("cpuSecondsOfStat() reads utime and stime past a command name with spaces and parentheses", () => {
  const line = "4242 (deno (worker) 1) R 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 9 0 123 456 789";
  assert.equal(cpuSecondsOfStat(line), 3.25);
});

Deno.test("cpuSecondsNow() charges a busy child's CPU to its process group", async () => {
  // a fixed amount of work (not a wall-clock span: on a loaded machine that may get little CPU), then the
  // child says so and waits to be read
  const work = "let x = 0; for (let i = 0; i < 4e8; i++) x += i % 7; console.log('done', x);" +
    "await new Promise((resolve) => setTimeout(resolve, 30_000));";
  const child = new Deno.Command("setsid", { args: [Deno.execPath(), "eval", work], stdout: "piped" })
    .spawn();
  // setsid's child leads its own group: the group id is the child's pid
  const group = child.pid;
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let said = "";
    while (!said.includes("done")) said += (await reader.read()).value ?? "";
    reader.releaseLock();
    const { app } = cpuSecondsNow(group);
    assert.ok(app >= 0.1, `the busy child's group used ${app} s of CPU`);
    assert.equal(cpuSecondsNow(-1).app, 0, "no process is in group -1");
  } finally {
    Deno.kill(-group, "SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});
