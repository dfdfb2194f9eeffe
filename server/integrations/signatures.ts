import { constantTimeEqual } from "../auth/secret_tokens.ts";

const encoder = new TextEncoder();

async function hmacSha256(secret: string, body: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, body as Uint8Array<ArrayBuffer>));
}

/** Shopify's `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 of the raw body with the app's secret. */
export async function shopifySignature(secret: string, body: Uint8Array): Promise<string> {
  return btoa(String.fromCharCode(...await hmacSha256(secret, body)));
}

/** Our own feed's `X-TechMart-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export async function techmartSignature(secret: string, body: Uint8Array): Promise<string> {
  const mac = await hmacSha256(secret, body);
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** Whether `sent` is the signature `sign` makes with `secret` (compared in constant time). */
export async function signatureMatches(
  sign: (secret: string, body: Uint8Array) => Promise<string>,
  secret: string,
  body: Uint8Array,
  sent: string,
): Promise<boolean> {
  return constantTimeEqual(await sign(secret, body), sent.trim());
}
