import assert from "node:assert/strict";
import { safeNextPath } from "./safe_next.ts";

Deno.test("safeNextPath() keeps local paths and sends everything else to the dashboard", () => {
  const cases: [string | null, string][] = [
    ["/transactions?status=refunded", "/transactions?status=refunded"],
    ["/", "/"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["/ok\\..\\evil", "/"],
    ["/\tevil", "/"],
    ["javascript:alert(1)", "/"],
    ["/login?next=/", "/"],
  ];
  for (const [next, expected] of cases) assert.equal(safeNextPath(next), expected, String(next));
});
