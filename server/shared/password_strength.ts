import { zxcvbn, zxcvbnOptions } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { z } from "zod";

/** Shortest password accepted: length beats composition rules (NIST SP 800-63B). */
export const minPasswordLength = 12;
/** Longest accepted, so nobody can make the server hash megabytes. */
export const maxPasswordLength = 256;

/** Least zxcvbn score accepted (0-4): 3 is "safely unguessable" against an offline slow hash. */
export const minPasswordScore = 3;
// zxcvbn's cost grows with length; the first 100 characters decide (a longer password is not weak)
const judgedLength = 100;

let configured = false;

/**
 * Why a password is too easy to guess (repeats, sequences, common passwords, keyboard walks, the
 * username), or null when it is strong enough. Uses zxcvbn-ts, a maintained estimator with common
 * password and name lists, instead of composition rules (NIST SP 800-63B).
 */
export function weakPasswordReason(password: string, userInputs: string[] = []): string | null {
  if (!configured) {
    zxcvbnOptions.setOptions({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    configured = true;
  }
  const result = zxcvbn(password.slice(0, judgedLength), userInputs);
  if (result.score >= minPasswordScore) return null;
  const hint = result.feedback.warning || result.feedback.suggestions[0] || "";
  return `Password is too easy to guess${
    hint ? ` (${hint.replace(/\.$/, "")})` : ""
  }: use a few uncommon words or a generated password`;
}

/** A new password as procedures take it: 12 to 256 characters, not only spaces, not easy to guess. */
export const newPasswordInput = z.string().min(minPasswordLength).max(maxPasswordLength)
  .refine((value) => value.trim().length > 0, "Password cannot be only spaces")
  .superRefine((value, ctx) => {
    const weak = weakPasswordReason(value);
    if (weak) ctx.addIssue({ code: "custom", message: weak });
  });
