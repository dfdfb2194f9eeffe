import assert from "node:assert/strict";
import { autoEts, nelderMead } from "./_auto_ets.ts";

Deno.test("nelderMead() finds the minimum of a shifted quadratic", () => {
  const x = nelderMead(([a, b]) => (a - 3) ** 2 + (b + 1) ** 2, [0, 0], 400);
  assert.ok(Math.abs(x[0] - 3) < 1e-3 && Math.abs(x[1] + 1) < 1e-3, `${x}`);
});

Deno.test("autoEts() picks a seasonal form for a weekly pattern and reproduces it", () => {
  const pattern = [5, 10, 15, 20, 25, 30, 35];
  const y = Array.from({ length: 140 }, (_, t) => pattern[t % 7] + ((t * 7919) % 5) / 10);
  const forecast = autoEts(y, 14);
  assert.ok(forecast.form.endsWith("A"), forecast.form);
  forecast.point.forEach((value, h) =>
    assert.ok(Math.abs(value - pattern[(140 + h) % 7] - 0.2) < 0.5, `${h}: ${value}`)
  );
});

Deno.test("autoEts() picks a non-seasonal form for a noisy level, with intervals that widen with the horizon", () => {
  const y = Array.from({ length: 140 }, (_, t) => 50 + (((t * 7919) % 11) - 5));
  const forecast = autoEts(y, 14);
  assert.ok(forecast.form.endsWith("N"), forecast.form);
  assert.ok(Math.abs(forecast.point[0] - 50) < 3);
  assert.ok(forecast.upper95[13] - forecast.lower95[13] >= forecast.upper95[0] - forecast.lower95[0]);
  assert.ok(forecast.upper95[0] > forecast.upper80[0] && forecast.upper80[0] > forecast.point[0]);
});
