// Browser-test helper: what a page may never show a person.
import assert from "node:assert/strict";

/** Text a person must never be shown: JSON, a validation library's wording, limits in pence. */
export function assertNoDeveloperText(text: string, where: string): void {
  for (const needle of ['{"', '"code":', "expected", "Invalid input", "<="]) {
    const at = text.indexOf(needle);
    assert.ok(
      at < 0,
      `${where} shows ${JSON.stringify(needle)}: …${text.slice(Math.max(0, at - 150), at + 150)}…`,
    );
  }
  // a file in the repository ("See docs/import.md"), which a person using the shop cannot open
  assert.doesNotMatch(text, /\b[\w-]+\/[\w/-]*\.(md|tsx?)\b/, `${where} names a file in the repository`);
  // an amount in minor units: a 9+ digit run, e.g. 10000000000 pence
  assert.doesNotMatch(text, /\d{9,}/, `${where} shows an amount in minor units`);
}
