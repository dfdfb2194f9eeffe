import assert from "node:assert/strict";
import {
  confirmedFraudBefore,
  LABEL_ARRIVAL,
  type LabelCeilingReplayOptions,
  labelOf,
  replayWithLabelCeiling,
} from "./label_simulation.ts";
import { calibratedPriorScore } from "../server/fraud/model/operating_point.ts";

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

Deno.test("labelOf() labels a reviewed sale a day later, fraud or not", () => {
  for (const isFraud of [true, false]) {
    const label = labelOf({ transactionId: "t1", atMs: START, isFraud }, true);
    assert.deepEqual(label, { saleAtMs: START, knownAtMs: START + DAY, isFraud, source: "review" });
  }
});

Deno.test("labelOf() gives unreviewed fraud a chargeback 30-60 days later, some never, and honest sales nothing", () => {
  const labels = Array.from(
    { length: 2000 },
    (_, i) => labelOf({ transactionId: `t${i}`, atMs: START, isFraud: true }, false),
  );
  const reported = labels.filter((l) => l !== null);
  // 30% never reported, within what 2,000 hashes spread
  assert.ok(Math.abs(reported.length / 2000 - 0.7) < 0.03, `${reported.length} of 2000 reported`);
  for (const l of reported) {
    assert.equal(l.source, "chargeback");
    assert.ok(l.knownAtMs >= START + 30 * DAY && l.knownAtMs <= START + 60 * DAY);
  }
  assert.equal(labelOf({ transactionId: "t1", atMs: START, isFraud: false }, false), null);
  // fixed by the id and the seed
  assert.deepEqual(
    labelOf({ transactionId: "t7", atMs: START, isFraud: true }, false, LABEL_ARRIVAL),
    labels[7],
  );
});

Deno.test("confirmedFraudBefore() counts only fraud labels known before the day, of sales in the window", () => {
  const day = START + 100 * DAY;
  const label = (saleDay: number, knownDay: number, isFraud = true) => ({
    saleAtMs: START + saleDay * DAY,
    knownAtMs: START + knownDay * DAY,
    isFraud,
    source: "review" as const,
  });
  const labels = [
    label(50, 51), // counted
    label(99, 99.9), // counted
    label(60, 100), // known on the day itself: not yet
    label(70, 130), // a chargeback from the future
    label(5, 6), // before the 90-day window
    label(80, 81, false), // not fraud
  ];
  assert.equal(confirmedFraudBefore(labels, day, 90), 2);
});

/** A shop of `days` days with 100 sales a day; fraud sales score 90, honest ones 60 every 10th, else 10. */
function shop(days: number, fraudEvery: number) {
  return Array.from({ length: days * 100 }, (_, i) => {
    const isFraud = i % fraudEvery === 0;
    return {
      transactionId: `s${i}`,
      atMs: START + Math.floor(i / 100) * DAY + (i % 100) * 60_000,
      isFraud,
      priorScore: isFraud ? 90 : i % 10 === 3 ? 60 : 10,
    };
  });
}
const OPTIONS: LabelCeilingReplayOptions = {
  follow: "daily",
  review: 50,
  ceiling: { minFraudLabels: 10, factor: 2, windowDays: 90 },
  operating: { maxReviewRate: 0.05, windowDays: 90, minSales: 200 },
};

Deno.test("replayWithLabelCeiling() raises the ceiling from the labels once enough fraud is confirmed", () => {
  // 12.5% fraud (every 8th): the fixed 5% reviews half of it; the labels lift the ceiling above the rate
  const sales = shop(120, 8);
  const run = replayWithLabelCeiling(
    sales,
    (i, point) => calibratedPriorScore(sales[i].priorScore, point),
    OPTIONS,
  );
  assert.equal(run.ceilings[0], 0.05);
  assert.ok(run.inForceFromMs !== null && run.inForceFromMs > START);
  assert.ok(run.last !== null && run.last.ceiling > 0.125, `last ceiling ${run.last?.ceiling}`);
  // at the end every fraud sale is reviewed again
  const lastDay = sales.map((s, i) => ({ s, score: run.scores[i] })).slice(-100);
  assert.ok(lastDay.every(({ s, score }) => !s.isFraud || score >= 50));
});

Deno.test("replayWithLabelCeiling() uses no label from the future: later sales never move an earlier ceiling", () => {
  const sales = shop(120, 8);
  const cut = 60 * 100; // day 60
  // the same shop up to day 60, then every sale is fraud
  const changed = sales.map((s, i) => i < cut ? s : { ...s, isFraud: true, priorScore: 90 });
  const scoreOf = (list: typeof sales) => (i: number, point: Parameters<typeof calibratedPriorScore>[1]) =>
    calibratedPriorScore(list[i].priorScore, point);
  const a = replayWithLabelCeiling(sales, scoreOf(sales), OPTIONS);
  const b = replayWithLabelCeiling(changed, scoreOf(changed), OPTIONS);
  // the day's own sales are scored under a ceiling from before the day: identical through day 60
  assert.deepEqual(b.ceilings.slice(0, cut + 100), a.ceilings.slice(0, cut + 100));
  assert.deepEqual(b.scores.slice(0, cut), a.scores.slice(0, cut));
  assert.notDeepEqual(b.ceilings.slice(cut + 100), a.ceilings.slice(cut + 100));
  // the check can fail: the same change a month earlier moves the ceilings of day 60
  const earlier = sales.map((s, i) => i < cut - 30 * 100 ? s : { ...s, isFraud: true, priorScore: 90 });
  const c = replayWithLabelCeiling(earlier, scoreOf(earlier), OPTIONS);
  assert.notDeepEqual(c.ceilings.slice(cut, cut + 100), a.ceilings.slice(cut, cut + 100));
});

Deno.test("replayWithLabelCeiling() with `once` keeps the first proposal", () => {
  const sales = shop(120, 8);
  const run = replayWithLabelCeiling(
    sales,
    (i, point) => calibratedPriorScore(sales[i].priorScore, point),
    { ...OPTIONS, follow: "once" },
  );
  assert.equal(run.first, run.last);
  const from = sales.findIndex((s) => s.atMs >= run.inForceFromMs!);
  assert.ok(run.ceilings.slice(from).every((c) => c === run.first!.ceiling));
});
