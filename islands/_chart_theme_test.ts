import assert from "node:assert/strict";
import { resolveColor, resolveColors } from "./_chart_theme.ts";

const palette: Record<string, string> = { "--chart-1": " #2b59c3", "--muted": "rgb(1 2 3)" };
const lookup = (name: string) => palette[name] ?? "";

Deno.test("resolveColor() reads a token, applies an alpha to hex, and leaves plain colours alone", () => {
  assert.equal(resolveColor("var(--chart-1)", lookup), "#2b59c3");
  assert.equal(resolveColor("var(--chart-1) / 0.2", lookup), "rgb(43 89 195 / 0.2)");
  assert.equal(resolveColor("var(--muted) / 0.5", lookup), "rgb(1 2 3)");
  assert.equal(resolveColor("#ff0000", lookup), "#ff0000");
});

Deno.test("resolveColors() walks datasets and keeps numbers and labels", () => {
  const data = { labels: ["a"], datasets: [{ data: [1, 2], borderColor: "var(--chart-1)", label: "Sales" }] };
  assert.deepEqual(resolveColors(data, lookup), {
    labels: ["a"],
    datasets: [{ data: [1, 2], borderColor: "#2b59c3", label: "Sales" }],
  });
});
