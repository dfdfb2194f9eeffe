import assert from "node:assert/strict";
import {
  automaticCeiling,
  calibratedPriorScore,
  COLD_START_OPERATING,
  estimateFraudRate,
  MAX_REVIEW_CEILING,
  MIN_REVIEW_CEILING,
  operatingPointOf,
  type OperatingPointOptions,
  operatingPointsInForce,
  operatingPointTracker,
  parseOperatingOption,
  priorCalibration,
  priorFraudProbability,
  sameCeiling,
  SURE_PRIOR_SCORE,
  withCeiling,
} from "./operating_point.ts";

const DAY = 86_400_000;
const OPTIONS: OperatingPointOptions = { maxReviewRate: 0.05, windowDays: 30, minSales: 100 };

/** n scores: `high` of them at 60-79 (spread), the rest at 10-29. */
function scores(n: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => i < high ? 60 + (i % 20) : 10 + (i % 20));
}

Deno.test("operatingPointOf: too few sales give no point (the shared threshold stays)", () => {
  assert.equal(operatingPointOf(scores(99, 50), 3, OPTIONS), null);
  assert.notEqual(operatingPointOf(scores(100, 50), 3, OPTIONS), null);
});

Deno.test("operatingPointOf: the threshold rises until at most the base rate goes to review", () => {
  // 200 of 1,000 sales score >= 50 at the shared threshold: 20% to review, the cap is 5% (50 sales).
  const point = operatingPointOf(scores(1000, 200), 10, OPTIONS)!;
  assert.equal(point.sharedReviewRate, 0.2);
  assert.ok(point.priorThreshold > 50);
  assert.ok(point.reviewRate <= 0.05, `review rate ${point.reviewRate}`);
  // and not higher than needed: the next lower score that occurs would let more than 5% through
  const all = scores(1000, 200);
  const nextLower = Math.max(...all.filter((s) => s < point.priorThreshold));
  const flaggedBelow = all.filter((s) => s >= nextLower).length;
  assert.ok(flaggedBelow > 50, `${flaggedBelow} flagged at ${nextLower}`);
  assert.equal(point.sales, 1000);
  assert.equal(point.days, 10);
});

Deno.test("operatingPointOf: a shop already below the base rate keeps 50 (never lowered)", () => {
  const point = operatingPointOf(scores(1000, 30), 10, OPTIONS)!;
  assert.equal(point.priorThreshold, 50);
  assert.equal(point.reviewRate, 0.03);
});

Deno.test("operatingPointOf: ties at the cut do not let more than the cap through", () => {
  const tied = [...Array(900).fill(20), ...Array(100).fill(70)];
  const point = operatingPointOf(tied, 5, OPTIONS)!;
  assert.ok(point.priorThreshold > 70, `threshold ${point.priorThreshold}`);
  assert.equal(point.reviewRate, 0);
});

Deno.test("operatingPointOf with maxThreshold: the ceiling never lifts the threshold above it", () => {
  // 150 of 1,000 sales score 92-96: above a 5% ceiling, which alone puts the threshold above them all
  const sure = [...Array(850).fill(20), ...Array.from({ length: 150 }, (_, i) => 92 + (i % 5))];
  const ceilingOnly = operatingPointOf(sure, 10, OPTIONS)!;
  assert.ok(ceilingOnly.priorThreshold > 92, `threshold ${ceilingOnly.priorThreshold}`);
  assert.ok(ceilingOnly.reviewRate <= 0.05);
  const capped = operatingPointOf(sure, 10, { ...OPTIONS, maxThreshold: 90 })!;
  assert.equal(capped.priorThreshold, 90);
  assert.equal(capped.reviewRate, 0.15);
  // below the cap the ceiling works as before, and the cap never lowers the threshold below 50
  assert.deepEqual(
    operatingPointOf(scores(1000, 200), 10, { ...OPTIONS, maxThreshold: 90 }),
    operatingPointOf(scores(1000, 200), 10, OPTIONS),
  );
  assert.equal(operatingPointOf(sure, 10, { ...OPTIONS, maxThreshold: 30 })!.priorThreshold, 50);
});

Deno.test("calibratedPriorScore: monotone, the operating threshold becomes 50, ends stay", () => {
  const point = operatingPointOf(scores(1000, 200), 10, OPTIONS)!;
  const t = point.priorThreshold;
  assert.equal(calibratedPriorScore(t, point), 50);
  assert.ok(calibratedPriorScore(Math.round(10 * t - 1) / 10, point) < 50);
  assert.ok(calibratedPriorScore(50, point) < 50, "the shared threshold no longer reviews");
  assert.equal(calibratedPriorScore(0, point), 0);
  assert.equal(calibratedPriorScore(100, point), 100);
  let previous = -1;
  for (let s = 0; s <= 100; s += 0.1) {
    const c = calibratedPriorScore(Math.round(10 * s) / 10, point);
    assert.ok(c >= previous, `not monotone at ${s}`);
    previous = c;
  }
  assert.equal(calibratedPriorScore(63.2, null), 63.2, "no point: the prior's score as it is");
});

/** `perDay` sales a day for `days` days, the prior scoring `highShare` of them high. */
function stream(days: number, perDay: number, highShare: number, startMs = Date.UTC(2026, 0, 1)) {
  const out: { atMs: number; priorScore: number }[] = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      out.push({
        atMs: startMs + d * DAY + Math.floor(i * DAY / perDay),
        priorScore: i < perDay * highShare ? 55 + (i % 40) : 5 + (i % 40),
      });
    }
  }
  return out;
}

Deno.test("operatingPointsInForce: a day's point comes from the days before it only", () => {
  const sales = stream(5, 60, 0.2);
  const points = operatingPointsInForce(sales, OPTIONS);
  // day 0: nothing before; day 1: 60 sales before (< 100); day 2: 120 before
  assert.equal(points[0], null);
  assert.equal(points[60], null);
  assert.notEqual(points[120], null);
  assert.equal(points[120]!.sales, 120);
  assert.equal(points[120]!.days, 2);
  // one point per day: every sale of a day reads the same one
  assert.deepEqual(points[179], points[120]);
  assert.equal(points[180]!.sales, 180);
});

Deno.test("operatingPointsInForce: no later sale changes an earlier point (time order)", () => {
  const sales = stream(6, 60, 0.1);
  const before = operatingPointsInForce(sales, OPTIONS);
  // Rewrite everything from day 3 on (and the rest of day 3 itself): all high scores.
  const cut = 3 * 60 + 10;
  const changed = sales.map((s, i) => i >= cut ? { ...s, priorScore: 99 } : s);
  const after = operatingPointsInForce(changed, OPTIONS);
  for (let i = 0; i < 4 * 60; i++) assert.deepEqual(after[i], before[i], `sale ${i} changed`);
  // ...and it does change the next day's point (the test can fail the other way too)
  assert.notDeepEqual(after[4 * 60], before[4 * 60]);
  // Dropping the later sales altogether leaves the earlier points as they were.
  assert.deepEqual(operatingPointsInForce(sales.slice(0, cut), OPTIONS), before.slice(0, cut));
});

Deno.test("operatingPointsInForce: sales older than the window do not count", () => {
  const options = { ...OPTIONS, windowDays: 2 };
  const sales = stream(6, 60, 0.2);
  const points = operatingPointsInForce(sales, options);
  assert.equal(points[5 * 60]!.sales, 120, "days 3 and 4 only");
  assert.equal(points[5 * 60]!.days, 2);
});

Deno.test("operatingPointTracker: a long replay's point is its window's, with the window's older sales let go", () => {
  // 100 sales a day for 200 days, a 30-day window: the tracker lets go of sales thousands at a time
  const sales = Array.from({ length: 20_000 }, (_, i) => ({
    atMs: Date.UTC(2025, 0, 1) + Math.floor(i / 100) * DAY + (i % 100) * 60_000,
    priorScore: (i * 37) % 100,
    linkFlags: i % 7 === 0 ? 1 : 0,
  }));
  const tracker = operatingPointTracker(OPTIONS);
  for (const [i, sale] of sales.entries()) {
    const point = tracker.pointAt(sale.atMs);
    tracker.add(sale);
    if (i % 100 !== 0 || i < 3_000) continue;
    const day = sales[i].atMs - (sales[i].atMs % DAY);
    const window = sales.filter((s) => s.atMs >= day - 30 * DAY && s.atMs < day);
    assert.deepEqual(
      point,
      operatingPointOf(window.map((s) => s.priorScore), 30, OPTIONS, window.map((s) => s.linkFlags)),
      `day ${i / 100}`,
    );
  }
});

Deno.test("replayed scores: no later sale changes an earlier sale's calibrated score", () => {
  const sales = stream(8, 60, 0.15);
  const scored = (list: typeof sales) => {
    const points = operatingPointsInForce(list, OPTIONS);
    return list.map((s, i) => calibratedPriorScore(s.priorScore, points[i]));
  };
  const before = scored(sales);
  const cut = 5 * 60 + 30;
  // Later sales all scored high by the prior, and more of them.
  const later = [
    ...sales.slice(0, cut),
    ...sales.slice(cut).flatMap((s) => [{ ...s, priorScore: 97 }, { ...s, priorScore: 98 }]),
  ];
  const after = scored(later);
  assert.deepEqual(after.slice(0, cut), before.slice(0, cut));
  // The calibration did act on the earlier sales (the threshold was raised): a test that can fail.
  assert.ok(before.some((score, i) => score !== sales[i].priorScore));
});

Deno.test("calibratedPriorScore: the operating threshold lands on the shop's own review threshold", () => {
  const point = { priorThreshold: 70, reviewRate: 0.05, sharedReviewRate: 0.2, sales: 1000, days: 30 };
  // the rules review at 60: the point's 70 becomes 60, below it stays below
  assert.equal(calibratedPriorScore(70, point, 60), 60);
  assert.equal(calibratedPriorScore(69.9, point, 60), 59.9);
  assert.ok(calibratedPriorScore(65, point, 60) < 60);
  assert.equal(calibratedPriorScore(100, point, 60), 100);
  // a review threshold stricter than the point: the shop's own, the prior's score as it is
  assert.equal(calibratedPriorScore(75, point, 80), 75);
  assert.equal(calibratedPriorScore(80, point, 80), 80);
  // a looser one (40): the point's 70 still bounds the review share, and lands on 40
  assert.equal(calibratedPriorScore(70, point, 40), 40);
  assert.ok(calibratedPriorScore(60, point, 40) < 40);
});

Deno.test("a raised ceiling lowers the threshold back toward 50, never below; the default stays 5%", () => {
  // 12% of the shop's sales score 60-79 with the prior (a shop with more fraud than 5%).
  const all = scores(1000, 120);
  const at5 = operatingPointOf(all, 10, OPTIONS)!;
  const at10 = operatingPointOf(all, 10, { ...OPTIONS, maxReviewRate: 0.1 })!;
  const at15 = operatingPointOf(all, 10, { ...OPTIONS, maxReviewRate: 0.15 })!;
  assert.ok(at5.reviewRate <= 0.05 && at5.priorThreshold > 60, JSON.stringify(at5));
  assert.ok(at10.reviewRate <= 0.1 && at10.reviewRate > 0.05, JSON.stringify(at10));
  assert.ok(at10.priorThreshold < at5.priorThreshold);
  // above the shop's own share at 50, the ceiling no longer binds: 50 stays, it is never lowered
  assert.equal(at15.priorThreshold, 50);
  assert.equal(at15.reviewRate, 0.12);
  assert.equal(COLD_START_OPERATING.maxReviewRate, 0.05);
  assert.equal(COLD_START_OPERATING.maxThreshold, SURE_PRIOR_SCORE);
  assert.deepEqual(withCeiling(0.1), { ...COLD_START_OPERATING, maxReviewRate: 0.1 });
  assert.ok(MIN_REVIEW_CEILING <= 0.05 && 0.05 <= MAX_REVIEW_CEILING);
});

Deno.test("sameCeiling: a ceiling read back from a real column matches its setting, another does not", () => {
  const asReal = Math.fround(0.05);
  assert.notEqual(asReal, 0.05);
  assert.ok(sameCeiling(asReal, 0.05));
  assert.ok(sameCeiling(Math.fround(0.005), 0.005));
  assert.ok(!sameCeiling(asReal, 0.051));
  assert.ok(!sameCeiling(Math.fround(0.1), 0.05));
});

Deno.test("parseOperatingOption: the measuring commands' --operating= value", () => {
  assert.deepEqual(parseOperatingOption(undefined), COLD_START_OPERATING);
  assert.equal(parseOperatingOption("off"), null);
  assert.deepEqual(parseOperatingOption("rate:0.1"), { ...COLD_START_OPERATING, maxReviewRate: 0.1 });
  assert.deepEqual(parseOperatingOption("window:30,min:100,lower:1,rate:0.03"), {
    maxReviewRate: 0.03,
    windowDays: 30,
    minSales: 100,
    allowLower: true,
    maxThreshold: SURE_PRIOR_SCORE,
  });
  assert.deepEqual(parseOperatingOption("cap:100"), { ...COLD_START_OPERATING, maxThreshold: 100 });
  assert.throws(() => parseOperatingOption("rate:ten"), /"rate:ten" is not key:number/);
  assert.throws(() => parseOperatingOption("top:0.1"), /unknown "top"/);
});

/**
 * A population scored by a perfectly calibrated prior: one binary signal seen in 80% of fraud and 10% of honest
 * sales, the prior trained where 5% were fraud (reviewMargin 0 and weight 1, so the score is 100 p).
 */
const CALIBRATED = { reviewMargin: 0, positiveWeight: 1, trainingFraudRate: 0.05 };
function population(rate: number, n = 10_000) {
  const posterior = (likelihoodRatio: number) => {
    const odds = likelihoodRatio * 0.05 / 0.95;
    return odds / (1 + odds);
  };
  const flagged = Math.round(n * (rate * 0.8 + (1 - rate) * 0.1));
  return [
    { score: 100 * posterior(0.8 / 0.1), n: flagged },
    { score: 100 * posterior(0.2 / 0.9), n: n - flagged },
  ];
}

Deno.test("estimateFraudRate: the prior-shift EM finds the shop's own rate, the plain mean does not", () => {
  for (const rate of [0.02, 0.05, 0.1, 0.15]) {
    const groups = population(rate);
    const em = estimateFraudRate(groups, CALIBRATED);
    assert.ok(Math.abs(em - rate) < 0.002, `rate ${rate}: EM ${em}`);
    // the mean of the posteriors stays pulled toward the training's 5%
    const mean = estimateFraudRate(groups, CALIBRATED, { mean: true });
    if (rate !== 0.05) assert.ok(Math.abs(mean - rate) > 0.01, `rate ${rate}: mean ${mean}`);
  }
  assert.equal(estimateFraudRate([], CALIBRATED), 0);
  assert.equal(estimateFraudRate([{ score: 40, n: 0 }], CALIBRATED), 0);
});

Deno.test("priorFraudProbability: the score undone to the training's unweighted probability", () => {
  // score 50 is the review margin; a fraud example weighed 4 shifts the odds by log 4
  const calibration = { reviewMargin: 1, positiveWeight: 4, trainingFraudRate: 0.05 };
  const p = priorFraudProbability(50, calibration);
  assert.ok(Math.abs(Math.log(p / (1 - p)) - (1 - Math.log(4))) < 1e-9);
  assert.ok(priorFraudProbability(0, calibration) > 0, "a rounded 0 is not certainty");
  assert.ok(priorFraudProbability(100, calibration) < 1);
  assert.ok(priorFraudProbability(80, calibration) > priorFraudProbability(20, calibration));
  // from a model: the weight is the square root of the imbalance, the rate its share of fraud
  assert.deepEqual(priorCalibration({ reviewMargin: 1.5, training: { rows: 1000, fraud: 100 } }), {
    reviewMargin: 1.5,
    positiveWeight: 3,
    trainingFraudRate: 0.1,
  });
});

Deno.test("automaticCeiling: a factor of the estimate, inside the range an admin may set", () => {
  assert.equal(automaticCeiling(0.04, 2), 0.08);
  assert.equal(automaticCeiling(0.001, 2), MIN_REVIEW_CEILING);
  assert.equal(automaticCeiling(0.2, 2), MAX_REVIEW_CEILING);
});

Deno.test("operatingPointOf, automatic: the ceiling follows the window's estimated fraud rate", () => {
  const options = { ...OPTIONS, automaticFactor: 1, calibration: CALIBRATED };
  const expand = (groups: { score: number; n: number }[]) => groups.flatMap((g) => Array(g.n).fill(g.score));
  // 15% fraud: 20.5% score high; a fixed 5% would raise the threshold past every high score
  const high = operatingPointOf(expand(population(0.15, 2000)), 10, options)!;
  assert.ok(Math.abs(high.estimatedFraudRate! - 0.15) < 0.005, JSON.stringify(high));
  assert.ok(Math.abs(high.maxReviewRate! - high.estimatedFraudRate!) < 1e-12);
  const fixed = operatingPointOf(expand(population(0.15, 2000)), 10, OPTIONS)!;
  assert.equal(fixed.maxReviewRate, 0.05);
  assert.equal(fixed.estimatedFraudRate, undefined);
  // 2% fraud: the ceiling falls under 5%
  const low = operatingPointOf(expand(population(0.02, 2000)), 10, options)!;
  assert.ok(low.maxReviewRate! < 0.03, JSON.stringify(low));
  assert.throws(
    () => operatingPointOf([50, 60], 1, { ...OPTIONS, minSales: 1, automaticFactor: 1 }),
    /calibration/,
  );
  assert.deepEqual(parseOperatingOption("auto:1.5"), { ...COLD_START_OPERATING, automaticFactor: 1.5 });
  assert.equal(
    parseOperatingOption("auto:2,rate:0.1")!.automaticFactor,
    undefined,
    "a rate is a fixed ceiling",
  );
});

Deno.test("operatingPointsInForce, automatic: no sale moves its own day's ceiling or an earlier one", () => {
  const options = { ...OPTIONS, automaticFactor: 1.5, calibration: CALIBRATED };
  // a shop the prior thinks clean (scores under 10): its estimate and ceiling are low
  const sales = stream(8, 60, 0.1).map((s) => ({ ...s, priorScore: s.priorScore / 10 }));
  const before = operatingPointsInForce(sales, options);
  assert.ok(before[6 * 60]!.maxReviewRate! < 0.1, JSON.stringify(before[6 * 60]));
  const cut = 5 * 60 + 30;
  // from the middle of day 5 on, every sale scores 97: a shop whose estimated fraud rate jumps
  const later = sales.map((s, i) => i >= cut ? { ...s, priorScore: 97 } : s);
  const after = operatingPointsInForce(later, options);
  for (let i = 0; i < 6 * 60; i++) assert.deepEqual(after[i], before[i], `sale ${i} changed`);
  // the next day's estimate and ceiling do move (the test can fail)
  assert.ok(after[6 * 60]!.estimatedFraudRate! > before[6 * 60]!.estimatedFraudRate!);
  assert.ok(after[6 * 60]!.maxReviewRate! > before[6 * 60]!.maxReviewRate!);
});
