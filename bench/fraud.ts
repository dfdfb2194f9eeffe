/**
 * `deno task bench fraud [file.csv]`: replays a labeled stream through the production fraud scorer in
 * timestamp order (each row's timestamp is "now") and prints precision, recall, F1, the
 * precision-recall curve, per-rule statistics and scoring latency. Without a file it generates the
 * stream of `data/fraud_stream.ts`. Ends with `precision=P recall=R f1=F` at the review threshold.
 */
import { parse } from "csv-parse/sync";
import { DEFAULT_FRAUD_RULES } from "../server/fraud/rules.ts";
import { scoreTransaction } from "../server/fraud/score.ts";
import {
  evaluate,
  type LabeledRow,
  parseLabeledRow,
  replayStream,
  type Scorer,
} from "../server/fraud/evaluate.ts";
import { generateFraudStream } from "../data/fraud_stream.ts";

async function loadRows(path: string): Promise<LabeledRow[]> {
  const text = await Deno.readTextFile(path);
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return records.map((record, i) => {
    try {
      return parseLabeledRow(record);
    } catch (error) {
      const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
      const detail = issue ? `${issue.path.join(".")}: ${issue.message}` : String(error);
      // Line 1 is the header.
      throw new Error(`Cannot replay "${path}": line ${i + 2} is invalid: ${detail}`);
    }
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) =>
    row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ")
  )
    .join("\n");
}

/** Runs the fraud bench; `args[0]` is an optional labeled CSV. */
export async function run(args: string[]): Promise<void> {
  const path = args.find((arg) => !arg.startsWith("--"));
  const rules = DEFAULT_FRAUD_RULES;
  const loadStart = performance.now();
  const rows = path ? await loadRows(path) : generateFraudStream().map(parseLabeledRow);
  console.log(
    `${
      path ? `Loaded "${path}"` : "Generated stream (data/fraud_stream.ts, default seed)"
    }: ${rows.length} rows ` +
      `in ${fixed(performance.now() - loadStart, 0)} ms`,
  );

  const latencies: number[] = [];
  const timedScorer: Scorer = (tx, history, r, now) => {
    const start = performance.now();
    const result = scoreTransaction(tx, history, r, now);
    latencies.push(performance.now() - start);
    return result;
  };
  const replayStart = performance.now();
  const outcomes = replayStream(rows, rules, { scorer: timedScorer });
  const replayMs = performance.now() - replayStart;
  const result = evaluate(outcomes, rules);

  console.log(
    `Transactions: ${result.transactions}, fraud: ${result.fraud} (${
      fixed(100 * result.fraud / result.transactions, 1)
    }%), ` +
      `rules version ${rules.version}`,
  );
  console.log("");
  console.log(table(
    ["decision threshold", "score>=", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"],
    [["review", result.atReview], ["block", result.atBlock]].map(([name, m]) => {
      const metrics = m as typeof result.atReview;
      return [
        name as string,
        metrics.threshold,
        metrics.flagged,
        metrics.truePositives,
        metrics.falsePositives,
        metrics.falseNegatives,
        fixed(metrics.precision),
        fixed(metrics.recall),
        fixed(metrics.f1),
      ];
    }),
  ));
  console.log("\nPrecision-recall curve:");
  console.log(table(
    ["threshold", "flagged", "precision", "recall", "F1"],
    result.curve.map((m) => [m.threshold, m.flagged, fixed(m.precision), fixed(m.recall), fixed(m.f1)]),
  ));
  console.log("\nPer-rule statistics (a rule 'fired' when it is among a transaction's reasons):");
  console.log(table(
    ["rule", "on fraud", "on legit", "fraud hit rate", "legit hit rate", "precision"],
    result.rules.map((s) => [
      s.code,
      s.firedOnFraud,
      s.firedOnLegit,
      fixed(s.fraudHitRate),
      fixed(s.legitHitRate, 4),
      fixed(s.precision),
    ]),
  ));
  const sorted = latencies.slice().sort((a, b) => a - b);
  console.log(
    `\nScoring latency over ${sorted.length} calls: p50 ${fixed(percentile(sorted, 0.5) * 1000, 1)} µs, ` +
      `p99 ${fixed(percentile(sorted, 0.99) * 1000, 1)} µs, max ${fixed(sorted.at(-1)! * 1000, 1)} µs; ` +
      `whole replay ${fixed(replayMs, 0)} ms`,
  );
  const m = result.atReview;
  console.log(`precision=${fixed(m.precision)} recall=${fixed(m.recall)} f1=${fixed(m.f1)}`);
}
