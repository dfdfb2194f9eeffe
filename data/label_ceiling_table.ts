/**
 * `deno task fraud-ceiling --labels [--seed=N]`: the cold-start review ceiling proposed from a shop's first
 * labels (`replayWithLabelCeiling`: analyst labels on reviewed sales, chargebacks 30-60 days later for 70% of
 * the fraud nobody reviewed) against the fixed 5%, on the same held-out cells as the unlabeled estimate
 * (`ceiling_table.ts`). The minimum of confirmed fraud N, the factor K and how the admin follows the proposal
 * are chosen per held-out generator on the other generators' cells only (for E and the app: on A-D's).
 * docs/fraud.md, "Session 8: a ceiling from the first labels".
 */
import { metricsAt } from "../server/fraud/evaluate.ts";
import { type FraudModel, modelScore } from "../server/fraud/model/model.ts";
import { COLD_START_OPERATING } from "../server/fraud/model/operating_point.ts";
import { DEFAULT_FRAUD_RULES } from "../server/fraud/rules.ts";
import { measure, type replayRows, saleScore } from "./build_fraud_prior.ts";
import { LABEL_ARRIVAL, type LabelCeilingReplayOptions, replayWithLabelCeiling } from "./label_simulation.ts";

interface Cell {
  precision: number;
  recall: number;
  f1: number;
}
interface Measured {
  /** The whole stream (the same as the fixed 5% before the proposal). */
  whole: Cell;
  /** From the day the proposal is in force, this variant and the fixed 5% on the same sales. */
  after: Cell | null;
  fixedAfter: Cell | null;
  inForceDay: number | null;
  first: number | null;
  last: number | null;
  truth: number;
}

const REVIEW = DEFAULT_FRAUD_RULES.thresholds.review;
const FOLLOW = ["once", "daily"] as const;
const MINIMA = [10, 30];
const FACTORS = [1, 1.5, 2, 3];
const variantName = (follow: string, n: number, k: number) => `${follow}, N ${n}, K ${k}`;
// `--unreported=S`: another share of unreviewed fraud that never comes back (0.3 by default)
const unreported = Number(Deno.args.find((a) => a.startsWith("--unreported="))?.slice(13) ?? 0.3);
if (!(unreported >= 0 && unreported < 1)) throw new Error(`--unreported: a share, not "${unreported}"`);
const ARRIVAL = { ...LABEL_ARRIVAL, unreportedShare: unreported };
const VARIANTS: [string, LabelCeilingReplayOptions][] = FOLLOW.flatMap((follow) =>
  MINIMA.flatMap((n) =>
    FACTORS.map((k): [string, LabelCeilingReplayOptions] => [
      variantName(follow, n, k),
      { follow, review: REVIEW, arrival: ARRIVAL, ceiling: { minFraudLabels: n, factor: k, windowDays: 90 } },
    ])
  )
);
const FIXED: LabelCeilingReplayOptions = {
  follow: "once",
  review: REVIEW,
  ceiling: { minFraudLabels: Infinity, factor: 1, windowDays: 90 },
};

function cellOf(scores: readonly number[], sales: readonly { isFraud: boolean }[], from = 0): Cell {
  const outcomes = sales.slice(from).map((s, i) => ({
    score: scores[from + i],
    isFraud: s.isFraud,
    reasons: [],
  }));
  const m = metricsAt(outcomes, REVIEW);
  return { precision: m.precision, recall: m.recall, f1: m.f1 };
}

/** Every variant on one cell (a held-out generator at one fraud rate). */
export function measureLabelCell(
  model: FraudModel,
  sales: ReturnType<typeof replayRows>,
): Record<string, Measured> {
  const withPrior = sales.map((s) => ({ ...s, priorScore: modelScore(model, s.features) }));
  const scoreOf = (i: number, point: Parameters<typeof saleScore>[2]) =>
    saleScore(sales[i], withPrior[i].priorScore, point);
  const truth = sales.filter((s) => s.isFraud).length / sales.length;
  const fixed = replayWithLabelCeiling(withPrior, scoreOf, FIXED);
  const out: Record<string, Measured> = {
    "fixed 5%": {
      whole: cellOf(fixed.scores, sales),
      after: null,
      fixedAfter: null,
      inForceDay: null,
      first: null,
      last: null,
      truth,
    },
  };
  const oracle = measure(model, sales, { ...COLD_START_OPERATING, maxReviewRate: truth });
  out["true rate x 1"] = { ...out["fixed 5%"], whole: oracle };
  for (const [name, options] of VARIANTS) {
    const run = replayWithLabelCeiling(withPrior, scoreOf, options);
    const from = run.inForceFromMs === null ? -1 : sales.findIndex((s) => s.atMs >= run.inForceFromMs!);
    out[name] = {
      whole: cellOf(run.scores, sales),
      after: from < 0 ? null : cellOf(run.scores, sales, from),
      fixedAfter: from < 0 ? null : cellOf(fixed.scores, sales, from),
      inForceDay: run.inForceFromMs === null
        ? null
        : Math.round((run.inForceFromMs - sales[0].atMs) / 86_400_000),
      first: run.first?.ceiling ?? null,
      last: run.last?.ceiling ?? null,
      truth,
    };
  }
  return out;
}

/** The table: per held-out generator and rate, the chosen variant against the fixed 5%, then every variant. */
export function printLabelTable(
  results: Record<string, Record<string, Record<string, Measured>>>,
  trainedGenerators: readonly string[],
  heldOutOnly: string,
) {
  const all = Object.keys(results);
  const rates = Object.keys(results[all[0]]);
  const meanWhole = (v: string, gens: readonly string[]) => {
    const cells = gens.flatMap((g) => rates.map((r) => results[g][r][v].whole));
    return cells.reduce((s, c) => s + c.f1, 0) / cells.length;
  };
  // `--follow=daily`: the admin applies the page's latest proposal (the app shows the latest); both by default
  const follow = Deno.args.find((a) => a.startsWith("--follow="))?.slice(9);
  const candidates = VARIANTS.filter(([, o]) => follow === undefined || o.follow === follow).map(([v]) => v);
  if (candidates.length === 0) throw new Error(`--follow: "${follow}" is not daily or once`);
  const choose = (gens: readonly string[]) =>
    candidates.reduce((best, v) => meanWhole(v, gens) > meanWhole(best, gens) ? v : best);
  const chosen = Object.fromEntries(
    all.map((
      g,
    ) => [
      g,
      g === heldOutOnly ? choose(trainedGenerators) : choose(trainedGenerators.filter((n) => n !== g)),
    ]),
  );
  console.log(
    `Chosen per held-out generator: ${JSON.stringify(chosen)}; for the app: ${choose(trainedGenerators)}`,
  );
  const f = (c: Cell | null) =>
    c ? `P ${c.precision.toFixed(2)} R ${c.recall.toFixed(2)} F1 ${c.f1.toFixed(2)}` : "-";
  const pct = (x: number | null) => x === null ? "-" : `${(100 * x).toFixed(1)}%`;
  console.log(
    "| held out, true rate | chosen | in force from day, first / last ceiling | after: fixed 5% | after: from labels | whole stream: fixed 5% | whole: from labels | true rate x 1 |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  const sums = { fixedAfter: 0, after: 0, fixed: 0, labels: 0, oracle: 0, n: 0 };
  for (const g of all) {
    for (const r of rates) {
      const cell = results[g][r], m = cell[chosen[g]];
      sums.fixedAfter += (m.fixedAfter ?? cell["fixed 5%"].whole).f1;
      sums.after += (m.after ?? cell["fixed 5%"].whole).f1;
      sums.fixed += cell["fixed 5%"].whole.f1;
      sums.labels += m.whole.f1;
      sums.oracle += cell["true rate x 1"].whole.f1;
      sums.n++;
      console.log(
        `| ${g.split(" ")[0]} at ${pct(m.truth)} | ${chosen[g]} | ${m.inForceDay ?? "never"}, ${
          pct(m.first)
        } / ${pct(m.last)} | ${f(m.fixedAfter)} | ${f(m.after)} | ${f(cell["fixed 5%"].whole)} | ${
          f(m.whole)
        } | ${f(cell["true rate x 1"].whole)} |`,
      );
    }
  }
  const mean = (x: number) => (x / sums.n).toFixed(3);
  console.log(
    `| mean F1 | | | ${mean(sums.fixedAfter)} | ${mean(sums.after)} | ${mean(sums.fixed)} | ${
      mean(sums.labels)
    } | ${mean(sums.oracle)} |`,
  );
  console.log("\nEvery variant, mean whole-stream F1 over the 20 cells (A-D held out, E); fixed 5% first:");
  for (const v of ["fixed 5%", "true rate x 1", ...VARIANTS.map(([v]) => v)]) {
    console.log(`| ${v} | ${meanWhole(v, all).toFixed(3)} |`);
  }
}
