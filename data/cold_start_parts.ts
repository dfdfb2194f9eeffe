/**
 * `deno run -A data/cold_start_parts.ts [--measure-seed=808] NAME...` (session 10): for each named generator
 * (`ALL_GENERATORS`' names, e.g. "F wholesale supplies"), which parts of the cold-start score put its sales at
 * review: how many honest and fraud sales each link rule fires on, how many the shop-independent rules reach
 * 50 on (and by which rule), and the shipped prior's own ranking without any rule (P and R at 50, AP, best
 * recall at precision 0.7). A diagnostic of docs/fraud.md "Session 10: more generators", not a verdict.
 */
import { loadPriorModel } from "../server/fraud/model/prior.ts";
import { modelScore } from "../server/fraud/model/model.ts";
import { firedLinkRules, shopIndependentRulesScore } from "../server/fraud/model/combine.ts";
import { averagePrecision } from "../server/fraud/model/pr_auc.ts";
import { metricsAt } from "../server/fraud/evaluate.ts";
import { bestRecallAt70, replay } from "./build_fraud_prior.ts";

const seed = Number(Deno.args.find((a) => a.startsWith("--measure-seed="))?.slice(15) ?? 808);
const prior = await loadPriorModel();
for (const name of Deno.args.filter((a) => !a.startsWith("--"))) {
  const sales = replay(name, seed);
  const fraud = sales.filter((s) => s.isFraud).length;
  const counts = new Map<string, [honest: number, fraud: number]>();
  const add = (key: string, isFraud: boolean) => {
    const count = counts.get(key) ?? [0, 0];
    count[isFraud ? 1 : 0]++;
    counts.set(key, count);
  };
  for (const s of sales) {
    for (const rule of firedLinkRules(s.features)) add(`link rule ${rule}`, s.isFraud);
    if (shopIndependentRulesScore(s.rules) >= 50) {
      add("shop-independent rules at 50 or more", s.isFraud);
      for (const reason of s.rules.reasons) add(`  of which rule ${reason.code}`, s.isFraud);
    }
  }
  const alone = sales.map((s) => ({ score: modelScore(prior, s.features), isFraud: s.isFraud, reasons: [] }));
  const m = metricsAt(alone, 50);
  console.log(
    `${name}, seed ${seed}: ${sales.length} sales, ${fraud} fraud; the prior alone: P ${
      m.precision.toFixed(3)
    } R ${m.recall.toFixed(3)} AP ${averagePrecision(alone).toFixed(3)} best ${
      bestRecallAt70(alone).toFixed(3)
    }`,
  );
  for (const [key, [h, f]] of counts) console.log(`  ${key}: ${h} honest, ${f} fraud`);
}
