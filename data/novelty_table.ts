/**
 * `deno run -A data/novelty_table.ts [--seeds=1,2,3] [--measure-seed=202] [--models=DIR]` (session 9): the
 * leave-one-generator-out cells of `fraud-prior --table` (A-D each scored by the prior trained on the other
 * three, E by the prior trained on A-D; training seed 101) for the shipped cold start and for the prior
 * combined with the shop's own novelty (`server/fraud/model/novelty.ts`), each combination. Then, for each
 * held-out column, the combination chosen on the **other** columns' cells of the same run only (best mean
 * recall at precision >= 0.7, then mean F1), so no column's figure picked its own combination.
 * `--combinations=fisher,rank` measures only those; `--detector=forest` reads an isolation forest's score as the
 * novelty instead of the tail shares. `--models=DIR` keeps the trained priors there (one file per build seed and plan) to measure other seeds again.
 * `--grouped` (session 10) measures each combination a second time with one tail per group of correlated
 * features (`NOVELTY_GROUPS`, `--novelty=COMBINATION-grouped`), chosen without the column among the grouped
 * ones, and `alone-grouped` as a diagnostic.
 */
import { FRAUD_GENERATORS } from "./fraud_generators/mod.ts";
import { examplesForPrior, measure, replay, replayRows, rowsOfE, train } from "./build_fraud_prior.ts";
import { PRIOR_MONOTONE } from "../server/fraud/model/prior_directions.ts";
import type { FraudModel } from "../server/fraud/model/model.ts";
import { COLD_START_OPERATING } from "../server/fraud/model/operating_point.ts";
import {
  NOVELTY_COMBINATIONS,
  type NoveltyCombination,
  parseNoveltyOption,
} from "../server/fraud/model/novelty.ts";

type Cell = ReturnType<typeof measure>;

function arg(name: string): string | undefined {
  return Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const TRAIN_SEED = 101;
const seeds = (arg("seeds") ?? "1").split(",").map(Number);
const measureSeed = Number(arg("measure-seed") ?? 202);
const modelsDir = arg("models");
const names = Object.keys(FRAUD_GENERATORS);
const E = "E signup/purchase";
const columns = [...names, E];
// --combinations=fisher,rank measures fewer; --detector=forest reads an isolation forest's score as the novelty.
const combinations = (arg("combinations")?.split(",") ?? NOVELTY_COMBINATIONS) as NoveltyCombination[];
const grouped = Deno.args.includes("--grouped");
// Each family is chosen without the column among its own combinations: session 9's sum, then the grouped one.
const families: string[][] = [
  combinations,
  ...(grouped ? [combinations.map((c) => `${c}-grouped`)] : []),
];
const variants: string[] = [
  "shipped",
  ...combinations,
  ...(arg("combinations") ? [] : ["alone"]),
  ...(grouped ? [...families[1], "alone-grouped"] : []),
];
const detector: "forest" | "tails" = arg("detector") === "forest" ? "forest" : "tails";

async function trainedOrCached(seed: number, label: string, plan: string[], sets: Map<string, unknown>) {
  const file = modelsDir ? `${modelsDir}/prior_seed${seed}_${label.replace(/\W+/g, "_")}.json` : null;
  if (file) {
    try {
      return JSON.parse(await Deno.readTextFile(file)) as FraudModel;
    } catch { /* not cached yet */ }
  }
  const model = train(
    plan.map((n) => examplesForPrior(sets.get(n) as ReturnType<typeof replayRows>, n)),
    plan.join(" + "),
    seed,
  );
  if (file) await Deno.writeTextFile(file, JSON.stringify(model));
  return model;
}

const started = performance.now();
const trainSets = new Map(names.map((n) => [n, replay(n, TRAIN_SEED)]));
const testSets = new Map<string, ReturnType<typeof replayRows>>(
  names.map((n) => [n, replay(n, measureSeed)]),
);
testSets.set(E, replayRows(rowsOfE(measureSeed)));
console.log(
  `Replayed in ${
    Math.round((performance.now() - started) / 1000)
  } s; measuring seed ${measureSeed}; ${detector}`,
);

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const cellText = (m: Cell) => `${f2(m.precision)}/${f2(m.recall)}/${f3(m.f1)}/${f2(m.prAuc)}/${f2(m.best70)}`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const means = (cells: Cell[]) =>
  `${f3(mean(cells.map((c) => c.f1)))} / ${f3(mean(cells.map((c) => c.precision)))} / ${
    f3(mean(cells.map((c) => c.prAuc)))
  } / ${f3(mean(cells.map((c) => c.best70)))}`;

for (const seed of seeds) {
  const models = new Map<string, FraudModel>();
  for (const held of names) {
    models.set(
      held,
      await trainedOrCached(seed, `all_but_${held}`, names.filter((n) => n !== held), trainSets),
    );
  }
  models.set(E, await trainedOrCached(seed, "all", names, trainSets));
  const results = new Map<string, Map<string, Cell>>();
  for (const variant of variants) {
    const parsed = variant === "shipped" ? null : parseNoveltyOption(variant, PRIOR_MONOTONE);
    const novelty = parsed && { ...parsed, detector };
    results.set(
      variant,
      new Map(
        columns.map((c) => [c, measure(models.get(c)!, testSets.get(c)!, COLD_START_OPERATING, novelty)]),
      ),
    );
  }
  // The combination for each column, chosen on the other columns' cells only, within each family.
  const chosenIn = (family: string[]) =>
    new Map(columns.map((column) => {
      const others = columns.filter((c) => c !== column);
      const rank = (v: string) => {
        const cells = others.map((c) => results.get(v)!.get(c)!);
        return [mean(cells.map((m) => m.best70)), mean(cells.map((m) => m.f1))];
      };
      const best = family.slice().sort((a, b) => {
        const [ba, fa] = rank(a), [bb, fb] = rank(b);
        return bb - ba || fb - fa;
      })[0];
      return [column, best];
    }));
  console.log(`\nBuild seed ${seed}, measuring seed ${measureSeed}: P/R/F1/AP/best per held-out column`);
  console.log(`| variant | ${columns.join(" | ")} | mean F1 / P / AP / best |`);
  console.log(`| --- | ${columns.map(() => "---").join(" | ")} | --- |`);
  for (const variant of variants) {
    const cells = columns.map((c) => results.get(variant)!.get(c)!);
    console.log(`| ${variant} | ${cells.map(cellText).join(" | ")} | ${means(cells)} |`);
  }
  for (const family of families) {
    const chosen = chosenIn(family);
    const picked = columns.map((c) => results.get(chosen.get(c)!)!.get(c)!);
    console.log(
      `| chosen without the column (${columns.map((c) => chosen.get(c)).join(", ")}) | ${
        picked.map(cellText).join(" | ")
      } | ${means(picked)} |`,
    );
  }
}
console.log(`\nTook ${Math.round((performance.now() - started) / 1000)} s`);
