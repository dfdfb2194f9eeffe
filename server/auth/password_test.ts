import assert from "node:assert/strict";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "./password.ts";

Deno.test("verifyPassword() accepts the password a hash was made from and nothing else", async () => {
  const hash = await hashPassword("correct horse battery staple");
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword("correct horse battery staple", hash), true);
  assert.equal(await verifyPassword("correct horse battery stapl", hash), false);
  assert.equal(await verifyPassword("Correct horse battery staple", hash), false);
});

Deno.test("hashPassword() salts: the same password hashes differently each time", async () => {
  const [a, b] = await Promise.all([
    hashPassword("same password twice"),
    hashPassword("same password twice"),
  ]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword("same password twice", b), true);
});

Deno.test("verifyPassword() never matches a malformed or foreign hash", async () => {
  for (const stored of ["", "plain text", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "$2b$10$abc"]) {
    assert.equal(await verifyPassword("anything at all", stored), false, stored);
  }
});

Deno.test("passwordProblem() wants at least 12 characters, not only spaces, at most 256", () => {
  assert.match(passwordProblem("short") ?? "", /at least 12/);
  assert.equal(passwordProblem("twelve chars"), null);
  assert.match(passwordProblem(" ".repeat(20)) ?? "", /only spaces/);
  assert.match(passwordProblem("x".repeat(257)) ?? "", /at most 256/);
});

Deno.test("needsRehash() flags hashes made with weaker settings than today's", async () => {
  assert.equal(needsRehash(await hashPassword("a fine password")), false);
  assert.equal(needsRehash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"), true);
});
