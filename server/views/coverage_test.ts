import assert from "node:assert/strict";
import { planCoverage, type TimeRange } from "./coverage.ts";

const hour = 3_600_000;
const at = (iso: string) => new Date(iso);
const iso = (ranges: TimeRange[]) => ranges.map(([a, b]) => [a.toISOString(), b.toISOString()]);

Deno.test("planCoverage() splits a range between whole view buckets and base-table edges", async (t) => {
  const cases: {
    name: string;
    range: [string, string];
    cut: string | null;
    dirty?: string[];
    view: [string, string];
    skip?: string[];
    base: [string, string][];
  }[] = [
    {
      name: "aligned range wholly before the cut is all view",
      range: ["2026-01-01T00:00:00Z", "2026-01-01T05:00:00Z"],
      cut: "2026-01-02T00:00:00Z",
      view: ["2026-01-01T00:00:00.000Z", "2026-01-01T05:00:00.000Z"],
      base: [],
    },
    {
      name: "partial first and last hours come from the base tables",
      range: ["2026-01-01T00:30:00Z", "2026-01-01T05:15:00Z"],
      cut: "2026-01-02T00:00:00Z",
      view: ["2026-01-01T01:00:00.000Z", "2026-01-01T05:00:00.000Z"],
      base: [
        ["2026-01-01T00:30:00.000Z", "2026-01-01T01:00:00.000Z"],
        ["2026-01-01T05:00:00.000Z", "2026-01-01T05:15:00.000Z"],
      ],
    },
    {
      name: "the part after the cut (floored to a bucket) comes from the base tables",
      range: ["2026-01-01T00:00:00Z", "2026-01-01T10:00:00Z"],
      cut: "2026-01-01T03:40:00Z",
      view: ["2026-01-01T00:00:00.000Z", "2026-01-01T03:00:00.000Z"],
      base: [["2026-01-01T03:00:00.000Z", "2026-01-01T10:00:00.000Z"]],
    },
    {
      name: "dirty buckets are skipped in the view and read from the base, merged with neighbours",
      range: ["2026-01-01T00:00:00Z", "2026-01-01T10:00:00Z"],
      cut: "2026-01-01T06:00:00Z",
      dirty: ["2026-01-01T02:00:00Z", "2026-01-01T05:00:00Z", "2026-01-01T08:00:00Z", "2025-12-01T00:00:00Z"],
      view: ["2026-01-01T00:00:00.000Z", "2026-01-01T06:00:00.000Z"],
      skip: ["2026-01-01T02:00:00.000Z", "2026-01-01T05:00:00.000Z"],
      base: [
        ["2026-01-01T02:00:00.000Z", "2026-01-01T03:00:00.000Z"],
        ["2026-01-01T05:00:00.000Z", "2026-01-01T10:00:00.000Z"],
      ],
    },
    {
      name: "a view never refreshed covers nothing",
      range: ["2026-01-01T00:00:00Z", "2026-01-01T10:00:00Z"],
      cut: null,
      view: ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"],
      base: [["2026-01-01T00:00:00.000Z", "2026-01-01T10:00:00.000Z"]],
    },
    {
      name: "a range inside one bucket is all base",
      range: ["2026-01-01T00:10:00Z", "2026-01-01T00:50:00Z"],
      cut: "2026-01-02T00:00:00Z",
      view: ["2026-01-01T00:10:00.000Z", "2026-01-01T00:10:00.000Z"],
      base: [["2026-01-01T00:10:00.000Z", "2026-01-01T00:50:00.000Z"]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const plan = planCoverage([at(c.range[0]), at(c.range[1])], {
        bucketMs: hour,
        cut: c.cut ? at(c.cut) : null,
        dirtyBuckets: (c.dirty ?? []).map(at),
      });
      assert.deepEqual([plan.viewFrom.toISOString(), plan.viewTo.toISOString()], c.view);
      assert.deepEqual(plan.skipBuckets.map((d) => d.toISOString()), c.skip ?? []);
      assert.deepEqual(iso(plan.baseRanges), c.base);
    });
  }
});

Deno.test("planCoverage() covers every instant of the range exactly once", () => {
  const from = at("2026-03-01T00:17:00Z");
  const to = at("2026-03-04T13:05:00Z");
  const day = 24 * hour;
  const plan = planCoverage([from, to], {
    bucketMs: day,
    cut: at("2026-03-03T09:00:00Z"),
    dirtyBuckets: [at("2026-03-02T00:00:00Z")],
  });
  for (let ms = from.getTime(); ms < to.getTime(); ms += 7 * 60_000) {
    const bucket = Math.floor(ms / day) * day;
    const inView = bucket >= plan.viewFrom.getTime() && bucket < plan.viewTo.getTime() &&
      !plan.skipBuckets.some((d) => d.getTime() === bucket);
    const inBase = plan.baseRanges.filter(([a, b]) => ms >= a.getTime() && ms < b.getTime()).length;
    assert.equal(Number(inView) + inBase, 1, new Date(ms).toISOString());
  }
});
