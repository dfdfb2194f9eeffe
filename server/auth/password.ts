import { argon2id } from "hash-wasm";
import { timingSafeEqual } from "node:crypto";
import { base64Url } from "./secret_tokens.ts";

/** Shortest password accepted: length beats composition rules (NIST SP 800-63B). */
export const minPasswordLength = 12;
/** Longest accepted, so nobody can make the server hash megabytes. */
export const maxPasswordLength = 256;

/**
 * argon2id cost: 19 MiB and 2 passes (the OWASP minimum for argon2id), about 60 ms on a 2-core box,
 * slow enough for an attacker with the table, quick enough for a login.
 */
export const passwordHashParams = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 };

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < minPasswordLength) {
    return `Password must be at least ${minPasswordLength} characters`;
  }
  if (password.length > maxPasswordLength) {
    return `Password must be at most ${maxPasswordLength} characters`;
  }
  if (password.trim().length === 0) return "Password cannot be only spaces";
  return null;
}

/** Hashes a password with argon2id and a random salt, as a PHC string (`$argon2id$v=19$m=...`). */
export function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return argon2id({ password, salt, ...passwordHashParams, outputType: "encoded" });
}

const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * True when `password` matches the stored PHC hash. Recomputes with the stored parameters and
 * compares in constant time; a malformed hash never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = phc.exec(stored);
  if (!match || password.length > maxPasswordLength) return false;
  const [, memory, iterations, parallelism, saltText, hashText] = match;
  const expected = fromBase64(hashText);
  const actual = await argon2id({
    password,
    salt: fromBase64(saltText),
    memorySize: Number(memory),
    iterations: Number(iterations),
    parallelism: Number(parallelism),
    hashLength: expected.length,
    outputType: "binary",
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash was made with weaker settings than today's (re-hash on next login). */
export function needsRehash(stored: string): boolean {
  const match = phc.exec(stored);
  if (!match) return true;
  return Number(match[1]) < passwordHashParams.memorySize || Number(match[2]) < passwordHashParams.iterations;
}

/** A random password of 20 base64url characters (120 bits), for generated accounts. */
export function generatePassword(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(15)));
}

// A hash of a random password: verifying against it costs the same as against a real user, so
// a login for an unknown username takes as long as one with a wrong password
let decoy: Promise<string> | undefined;
/** A valid hash no password is known for, to spend equal time on unknown usernames. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(generatePassword());
  return decoy;
}

function fromBase64(text: string): Uint8Array {
  const padded = text + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}
