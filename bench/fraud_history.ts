/**
 * `deno task bench fraud_history [--transactions N]`: on a fresh database (embedded, or a new one on the
 * server of DATABASE_URL), imports the sample shop and times what the fraud domain does with stored
 * history: rescoring every transaction in time order (`rescoreHistory`), labeling the sample, a backtest of
 * a candidate against the active rules, and the per-rule statistics. With `--transactions N`, N generated
 * orders (data/generate_scale.ts) are added first, to see how rescoring scales.
 */
import { parseArgs } from "node:util";
import { generateIntoDatabase } from "../data/generate_scale.ts";
import { backtestRules } from "../server/fraud/backtest.ts";
import { labelSampleHistory, rescoreHistory } from "../server/fraud/rescore.ts";
import { labeledRuleStats } from "../server/fraud/review_queries.ts";
import { DEFAULT_FRAUD_RULES } from "../server/fraud/rules.ts";
import { seedSampleData } from "../server/import/seed.ts";
import { openTestDatabase } from "../server/testing/test_database.ts";

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label.padEnd(34)} ${(performance.now() - started).toFixed(0).padStart(7)} ms`);
  return result;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { transactions: { type: "string", default: "0" } } });
  const extra = Number(values.transactions);
  const database = await openTestDatabase();
  const sql = database.sql;
  try {
    console.log(`database: ${database.kind}`);
    const seeded = await timed("import sample shop", () => seedSampleData(sql));
    if (!seeded.alreadyPresent) console.log(`  ${seeded.transactions} transactions imported`);
    if (extra > 0) {
      await timed(
        `generate ${extra} more orders`,
        () => generateIntoDatabase(sql, { transactions: extra, days: 365, refreshViews: false }),
      );
    }
    const rescored = await timed(
      "rescoreHistory (first run)",
      () => rescoreHistory(sql, DEFAULT_FRAUD_RULES),
    );
    console.log(`  ${JSON.stringify(rescored)}`);
    const again = await timed(
      "rescoreHistory (nothing changes)",
      () => rescoreHistory(sql, DEFAULT_FRAUD_RULES),
    );
    console.log(`  updated ${again.updated}`);
    const labels = await timed("labelSampleHistory", () => labelSampleHistory(sql));
    console.log(`  ${JSON.stringify(labels)}`);
    const candidate = { ...DEFAULT_FRAUD_RULES, thresholds: { review: 40, block: 85 } };
    const backtest = await timed(
      "backtest (review 50 -> 40)",
      () => backtestRules(sql, { active: DEFAULT_FRAUD_RULES, candidate }),
    );
    const show = (f: typeof backtest.active) =>
      `precision=${f.precision.toFixed(3)} recall=${
        f.recall.toFixed(3)
      } reviews=${f.reviews} blocks=${f.blocks}`;
    console.log(`  labeled ${backtest.labeled} (fraud ${backtest.fraud}), replayed ${backtest.replayed}`);
    console.log(`  active:    ${show(backtest.active)}`);
    console.log(`  candidate: ${show(backtest.candidate)}`);
    const stats = await timed("labeledRuleStats", () => labeledRuleStats(sql));
    for (const rule of stats.rules.filter((r) => r.firedOnFraud + r.firedOnLegit > 0)) {
      console.log(`  ${rule.code.padEnd(26)} fraud ${rule.firedOnFraud}  legit ${rule.firedOnLegit}`);
    }
  } finally {
    await database.close();
  }
}

if (import.meta.main) await run(Deno.args);
