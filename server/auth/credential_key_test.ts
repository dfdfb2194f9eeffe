import assert from "node:assert/strict";
import { credentialKey, type CredentialKeys, maxKeys } from "./authenticate.ts";
import { callerCacheMs } from "./caller_cache.ts";
import { hashToken } from "./secret_tokens.ts";

Deno.test("a credential's cache key is its kind and hash, remembered no longer than the caller cache trusts", () => {
  const realNow = Date.now;
  let clock = 1_000_000;
  Date.now = () => clock;
  try {
    const keys: CredentialKeys = { byCredential: new Map(), since: 0 };
    assert.equal(credentialKey(keys, "token:", "tm_abc"), `token:${hashToken("tm_abc")}`);
    assert.equal(credentialKey(keys, "token:", "tm_abc"), `token:${hashToken("tm_abc")}`, "remembered");
    assert.ok(keys.byCredential.has("tm_abc"));
    clock += callerCacheMs - 1;
    credentialKey(keys, "token:", "tm_def");
    assert.ok(keys.byCredential.has("tm_abc"), "within the caller cache's trust");
    clock += 1;
    assert.equal(credentialKey(keys, "token:", "tm_def"), `token:${hashToken("tm_def")}`);
    assert.equal(keys.byCredential.has("tm_abc"), false, "the raw credential is gone after callerCacheMs");
    // a flood of made-up tokens: never more than maxKeys remembered
    for (let i = 0; i < maxKeys + 5; i++) credentialKey(keys, "token:", `tm_flood_${i}`);
    assert.ok(keys.byCredential.size <= maxKeys);
  } finally {
    Date.now = realNow;
  }
});
