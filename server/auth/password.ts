import { argon2id } from "hash-wasm";
import { timingSafeEqual } from "node:crypto";
import { base64Url } from "./secret_tokens.ts";

import { maxPasswordLength, minPasswordLength } from "../shared/password_strength.ts";

export { maxPasswordLength, minPasswordLength };

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

// The most used passwords of 12+ characters in public breach lists: refused whatever their length
const commonPasswords = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "password1234",
  "password12345",
  "passwordpassword",
  "qwertyuiop12",
  "qwertyuiopasdf",
  "iloveyou1234",
  "administrator",
  "letmein12345",
  "welcome12345",
  "changeme1234",
  "abcdefghijkl",
  "abc123abc123",
  "111111111111",
  "000000000000",
  "techmart1234",
]);

/**
 * Why a password someone chose is too easy to guess, or null: the length rules of `passwordProblem`,
 * then no well-known password, not the username, and more than a handful of different characters.
 * @example passwordStrengthProblem("aaaaaaaaaaaa", { username: "ann" }) // "Password needs more variety: ..."
 */
export function passwordStrengthProblem(password: string, options: { username: string }): string | null {
  const basic = passwordProblem(password);
  if (basic) return basic;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return "Password is one of the most common passwords; choose another";
  const name = options.username.toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return "Password must not contain the username";
  if (new Set(password).size < 6) {
    return "Password needs more variety: use at least 6 different characters, or a few words";
  }
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
