import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { generatePassword } from "../auth/password.ts";
import { newPasswordInput, weakPasswordReason } from "./password_strength.ts";

Deno.test("weak passwords from the review are refused, with a reason a person can act on", () => {
  for (const weak of ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "123456789012"]) {
    assert.match(weakPasswordReason(weak) ?? "", /too easy to guess/, weak);
    assert.equal(newPasswordInput.safeParse(weak).success, false, weak);
  }
  assert.throws(() => loadConfig({ ADMIN_PASSWORD: "password1234" }), /ADMIN_PASSWORD/);
});

Deno.test("passphrases and generated passwords pass", () => {
  for (const strong of ["correct horse battery staple", "dana's long password", "blue-table-river-42"]) {
    assert.equal(weakPasswordReason(strong), null, strong);
  }
  for (let i = 0; i < 50; i++) {
    const generated = generatePassword();
    assert.equal(weakPasswordReason(generated), null, generated);
  }
});
