import assert from "node:assert/strict";
import { createMemoryKv } from "../kv/mod.ts";
import { checkLoginGate, clearAccountLock, loginLimits, recordLoginFailure } from "./login_throttle.ts";

Deno.test("checkLoginGate() locks an account after its failures reach the limit, for lockMs", async () => {
  const kv = createMemoryKv();
  const now = Date.now();
  const attempt = { username: "Alice", ip: "10.0.0.1" };
  for (let i = 0; i < loginLimits.accountFailures - 1; i++) await recordLoginFailure(kv, "t", attempt, now);
  assert.deepEqual(await checkLoginGate(kv, "t", attempt, now), { allowed: true });
  await recordLoginFailure(kv, "t", attempt, now);
  const gate = await checkLoginGate(kv, "t", { username: "alice", ip: "10.0.0.2" }, now + 1000);
  assert.equal(gate.allowed, false, "the lock follows the account, whatever the case or address");
  if (!gate.allowed) {
    assert.equal(gate.scope, "account");
    assert.equal(gate.retryAfterSeconds, loginLimits.lockMs / 1000 - 1);
  }
  assert.deepEqual(await checkLoginGate(kv, "t", { username: "bob", ip: "10.0.0.1" }, now), {
    allowed: true,
  });
  assert.deepEqual(await checkLoginGate(kv, "t", attempt, now + loginLimits.lockMs + 1), { allowed: true });
  await clearAccountLock(kv, "t", "alice");
  assert.deepEqual(await checkLoginGate(kv, "t", attempt, now), { allowed: true });
  await kv.close();
});

Deno.test("checkLoginGate() locks an address that fails across many accounts", async () => {
  const kv = createMemoryKv();
  const now = Date.now();
  for (let i = 0; i < loginLimits.ipFailures; i++) {
    await recordLoginFailure(kv, "t", { username: `user${i}`, ip: "10.9.9.9" }, now);
  }
  const gate = await checkLoginGate(kv, "t", { username: "fresh", ip: "10.9.9.9" }, now);
  assert.equal(gate.allowed, false);
  if (!gate.allowed) assert.equal(gate.scope, "address");
  assert.deepEqual(await checkLoginGate(kv, "t", { username: "fresh", ip: "10.1.1.1" }, now), {
    allowed: true,
  });
  await kv.close();
});
