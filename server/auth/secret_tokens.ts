import { createHash, timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

/** Prefix of API tokens, so a leaked one is easy to recognise (and to search for in code). */
export const apiTokenPrefix = "tm_";

/** 32 random bytes as base64url: a session or API token secret. */
export function randomSecret(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * SHA-256 of a token as hex: what the database stores. Tokens carry 256 random bits, so a fast
 * hash is enough (a slow one only matters for guessable secrets such as passwords). Synchronous:
 * every authenticated request hashes its credential, and `crypto.subtle.digest`'s promise round
 * trip cost several times the hash itself.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The CSRF token bound to a session: derived from the session token, so it needs no storage, and
 * knowing it reveals nothing about the session token.
 */
export async function csrfTokenFor(sessionToken: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`csrf:${sessionToken}`));
  return base64Url(new Uint8Array(digest)).slice(0, 32);
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  // Compare equal-length buffers even on a length mismatch, so the timing says nothing more
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Bytes as unpadded base64url. */
export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
