import assert from "node:assert/strict";
import { createMemoryKv } from "../kv/mod.ts";
import {
  accountSlowdownMs,
  backoffMs,
  checkLoginGate,
  clearSignInThrottle,
  recordLoginFailure,
  recordLoginSuccess,
  signInLimits,
} from "./login_throttle.ts";

Deno.test("backoffMs() is free for the first failures, then doubles up to its cap", () => {
  const limits = { free: 3, baseMs: 2_000, maxMs: 60_000 };
  const cases: [number, number][] = [[0, 0], [3, 0], [4, 2_000], [5, 4_000], [6, 8_000], [8, 32_000], [
    9,
    60_000,
  ], [
    500,
    60_000,
  ]];
  for (const [failures, expected] of cases) {
    assert.equal(backoffMs(failures, limits), expected, String(failures));
  }
});

Deno.test("accountSlowdownMs() slows a much-guessed account a little, and never more than its cap", () => {
  const free = signInLimits.accountFreeFailures;
  assert.equal(accountSlowdownMs(free), 0);
  assert.equal(accountSlowdownMs(free + 1), signInLimits.accountStepMs);
  assert.equal(accountSlowdownMs(free + 10_000), signInLimits.accountMaxSlowdownMs);
});

const allowed = { allowed: true, slowdownMs: 0 };

Deno.test("a stranger's failures make their own address wait longer and longer, and nobody else", async () => {
  const kv = createMemoryKv();
  let now = Date.now();
  const attacker = { username: "Admin", ip: "127.0.0.2" };
  for (let i = 0; i < signInLimits.pairFreeFailures; i++) {
    assert.equal(await recordLoginFailure(kv, "t", attacker, now), 0);
  }
  assert.deepEqual(await checkLoginGate(kv, "t", attacker, now), allowed);
  const waits: number[] = [];
  for (let round = 0; round < 4; round++) {
    const wait = await recordLoginFailure(kv, "t", attacker, now);
    waits.push(wait);
    const gate = await checkLoginGate(kv, "t", { username: "admin", ip: "127.0.0.2" }, now + 1);
    assert.equal(gate.allowed, false, "the attacker waits, whatever the letter case");
    if (!gate.allowed) {
      assert.equal(gate.scope, "account-from-address");
      assert.equal(gate.retryAfterSeconds, Math.ceil(wait / 1000));
    }
    assert.deepEqual(
      await checkLoginGate(kv, "t", { username: "admin", ip: "127.0.0.3" }, now + 1),
      allowed,
      "the owner from another address is not held up",
    );
    now += wait + 1;
  }
  assert.deepEqual(waits, [2_000, 4_000, 8_000, 16_000]);
  assert.deepEqual(await checkLoginGate(kv, "t", { username: "viewer", ip: "127.0.0.2" }, now), allowed);
  await kv.close();
});

Deno.test("an address guessing across many accounts waits for every account", async () => {
  const kv = createMemoryKv();
  const now = Date.now();
  for (let i = 0; i <= signInLimits.addressFreeFailures; i++) {
    await recordLoginFailure(kv, "t", { username: `user${i}`, ip: "10.9.9.9" }, now);
  }
  const gate = await checkLoginGate(kv, "t", { username: "fresh", ip: "10.9.9.9" }, now);
  assert.equal(gate.allowed, false);
  if (!gate.allowed) assert.equal(gate.scope, "address");
  assert.deepEqual(await checkLoginGate(kv, "t", { username: "fresh", ip: "10.1.1.1" }, now), allowed);
  await kv.close();
});

Deno.test("guesses from many addresses only slow an account down; success and an admin reset clear it", async () => {
  const kv = createMemoryKv();
  const now = Date.now();
  const failures = signInLimits.accountFreeFailures + 10;
  for (let i = 0; i < failures; i++) {
    await recordLoginFailure(kv, "t", { username: "alice", ip: `10.0.${i >> 8}.${i & 255}` }, now);
  }
  const owner = { username: "alice", ip: "192.0.2.1" };
  assert.deepEqual(await checkLoginGate(kv, "t", owner, now), {
    allowed: true,
    slowdownMs: accountSlowdownMs(failures),
  });
  await recordLoginSuccess(kv, "t", owner);
  assert.deepEqual(await checkLoginGate(kv, "t", owner, now), allowed, "a correct password forgets it");

  const stranger = { username: "alice", ip: "10.5.5.5" };
  for (let i = 0; i <= signInLimits.pairFreeFailures; i++) await recordLoginFailure(kv, "t", stranger, now);
  assert.equal((await checkLoginGate(kv, "t", stranger, now)).allowed, false);
  assert.equal((await checkLoginGate(kv, "t", { username: "alice:x", ip: "10.5.5.5" }, now)).allowed, true);
  assert.ok(await clearSignInThrottle(kv, "t", "ALICE") > 0);
  assert.deepEqual(await checkLoginGate(kv, "t", stranger, now), allowed, "an admin lifted every wait");
  await kv.close();
});

Deno.test("tries sent all at once from one address on one account are bounded before any failure counts", async () => {
  const kv = createMemoryKv();
  const burst = { username: "admin", ip: "127.0.0.2" };
  const gates = await Promise.all(
    Array.from({ length: signInLimits.pairAttemptsPerMinute + 5 }, () => checkLoginGate(kv, "t", burst)),
  );
  assert.equal(gates.filter((gate) => gate.allowed).length, signInLimits.pairAttemptsPerMinute);
  assert.deepEqual(await checkLoginGate(kv, "t", { username: "admin", ip: "127.0.0.3" }), allowed);
  await kv.close();
});
