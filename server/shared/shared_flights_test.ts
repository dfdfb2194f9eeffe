import assert from "node:assert/strict";
import { SharedFlights } from "./shared_flights.ts";

Deno.test("SharedFlights: callers of one key and generation share one run, which is forgotten once settled", async () => {
  const flights = new SharedFlights<string, number>();
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  const start = async () => {
    runs++;
    await gate;
    return runs;
  };
  const joined = Array.from({ length: 10 }, () => flights.run("a", start));
  const other = flights.run("b", () => Promise.resolve(-1));
  const later = flights.run("a", start, 1);
  assert.equal(runs, 2, "one run for generation 0, its own for generation 1");
  release();
  assert.deepEqual(new Set(await Promise.all(joined)), new Set([2]));
  assert.equal(await later, 2);
  assert.equal(await other, -1);
  assert.equal(await flights.run("a", start), 3, "a settled run is not joined");
});

Deno.test("SharedFlights: a failed run fails its callers and is not kept", async () => {
  const flights = new SharedFlights<string, string>();
  const failing = () => Promise.reject(new Error("away"));
  const results = await Promise.allSettled([flights.run("k", failing), flights.run("k", failing)]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
  assert.equal(await flights.run("k", () => Promise.resolve("back")), "back");
});
