/**
 * `deno task bench fraud [FILE] [--train-fraction F]`: replays a labeled stream in time order (each row's
 * timestamp is "now") and measures the fraud screen at the review threshold.
 *
 * - Without `--train-fraction`: cold start, the shipped prior model (server/fraud/model/prior_model.json)
 *   with the rules on top, as a shop with no labels gets it.
 * - With `--train-fraction 0.7`: a model is trained on the first 70% of transactions by time (labels known;
 *   its review threshold picked on the last fifth of that part), then the last 30% is scored and measured
 *   alone. The training part's labels are known, so a measured sale from a device of its confirmed fraud goes
 *   to review when that rule held on the training part (`confirmed_device.ts`); `--confirmed-devices=off`
 *   measures without it.
 * - At cold start the prior's review threshold is the shop's operating point of each day (from the rows of
 *   the days before); `--operating=rate:R,window:W,min:M` varies it (R, the review ceiling, a share: 0.05 by
 *   default, the shop setting's default; `auto:K` instead sets the ceiling to K times the fraud rate estimated
 *   from the window's prior scores, measured in session 8 and not shipped), `--shared-threshold` or
 *   `--operating=off` keeps 50. `--novelty=fisher|rank|max|alone` (session 9, measuring only) combines the
 *   prior's score with the shop's own novelty (`server/fraud/model/novelty.ts`) before the point reads it;
 *   `--novelty=fisher-grouped` (any combination, session 10) reads one tail per group of related features.
 *
 * FILE is the documented CSV (docs/fraud.md) or the public e-commerce fraud dataset's own columns
 * (`user_id,signup_time,purchase_time,purchase_value,device_id,...,ip_address,class`), read as one purchase
 * per user. Times written without a zone are UTC; Unix times and True/False labels are read too.
 *
 * Without FILE it uses the stream of `data/fraud_stream.ts`. Ends with
 * `precision=P recall=R f1=F pr_auc=A`.
 */
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { openText } from "../server/import/csv_reader.ts";
import { DEFAULT_FRAUD_RULES } from "../server/fraud/rules.ts";
import {
  type LabeledRow,
  metricsAt,
  parseLabeledRow,
  precisionRecallCurve,
} from "../server/fraud/evaluate.ts";
import { generateFraudStream } from "../data/fraud_stream.ts";
import { replayWithFeatures } from "../server/fraud/model/replay_features.ts";
import {
  type FraudModel,
  modelScore,
  topContributions,
  trainFraudModel,
} from "../server/fraud/model/model.ts";
import { loadPriorModel } from "../server/fraud/model/prior.ts";
import { combineScores, linkFlagsOf } from "../server/fraud/model/combine.ts";
import { averagePrecision } from "../server/fraud/model/pr_auc.ts";
import { featureUse } from "../server/fraud/model/boosting.ts";
import {
  calibratedPriorScore,
  type OperatingPoint,
  operatingPointsInForce,
  parseOperatingOption,
  priorCalibration,
} from "../server/fraud/model/operating_point.ts";
import {
  noveltyAdjustedScore,
  noveltyProfilesInForce,
  parseNoveltyOption,
} from "../server/fraud/model/novelty.ts";
import { PRIOR_MONOTONE } from "../server/fraud/model/prior_directions.ts";
import {
  confirmedDeviceCounts,
  ConfirmedFraudDevices,
  replayConfirmedDevices,
} from "../server/fraud/model/confirmed_device.ts";

/** Columns a converted dataset may leave out or blank, with the value that means "nothing special". */
const DEFAULTS: Record<string, string> = {
  product_id: "unknown",
  category: "unknown",
  quantity: "1",
  payment_method: "card",
  status: "completed",
};

/**
 * A timestamp written without a zone ("2015-02-24 22:55:49") is read as UTC, the same on every machine; a
 * Unix time (seconds, or milliseconds when it has 12-13 digits, as exports from databases and logs write
 * it) becomes its instant.
 */
function utcInstant(text: string): string {
  const t = text.trim();
  if (/^\d{9,11}(\.\d+)?$/.test(t)) return new Date(Number(t) * 1000).toISOString();
  if (/^\d{12,14}$/.test(t)) return new Date(Number(t)).toISOString();
  return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t.replace(" ", "T")}Z` : t;
}

/** Label words other writers use for 1 and 0 (pandas writes a boolean column as True/False). */
const LABEL_WORDS = new Map<string, string>([
  ...["true", "t", "yes", "y", "fraud"].map((word): [string, string] => [word, "1"]),
  ...["false", "f", "no", "n", "legit"].map((word): [string, string] => [word, "0"]),
]);

/** Status words other writers use for a payment that did not go through (the rest count as completed). */
const DECLINED_WORDS = new Set(["declined", "decline", "failed", "failure", "denied", "rejected"]);

/**
 * A row of the public e-commerce fraud dataset ("Fraud_Data.csv": user_id, signup_time, purchase_time,
 * purchase_value, device_id, source, browser, sex, age, ip_address, class) in the documented columns: one
 * purchase per user, the account created at signup, the value in whole currency units, the IP a number.
 */
export function fromSignupPurchaseRecord(record: Record<string, string>): Record<string, string> {
  return {
    transaction_id: record.user_id,
    timestamp: record.purchase_time,
    customer_id: record.user_id,
    customer_created_at: record.signup_time,
    product_id: "unknown",
    category: "unknown",
    unit_price_cents: String(Math.round(Number(record.purchase_value) * 100)),
    quantity: "1",
    payment_method: "card",
    status: "completed",
    is_fraud: record.class,
    device_id: record.device_id ?? "",
    ip_address: record.ip_address ?? "",
    user_agent: record.browser ?? "",
  };
}

/** Whether a record is in the signup/purchase shape of `fromSignupPurchaseRecord`. */
function isSignupPurchaseRecord(record: Record<string, string>): boolean {
  return "purchase_time" in record && "signup_time" in record && "class" in record &&
    !("timestamp" in record);
}

/** Makes a foreign CSV row replayable: defaults for absent columns, rounded cents, 0/1 labels. */
export function normaliseRecord(raw: Record<string, string>): Record<string, string> {
  const out = isSignupPurchaseRecord(raw) ? fromSignupPurchaseRecord(raw) : { ...raw };
  for (const column of ["timestamp", "customer_created_at"]) {
    if (out[column]) out[column] = utcInstant(out[column]);
  }
  for (const [column, value] of Object.entries(DEFAULTS)) if (!out[column]?.trim()) out[column] = value;
  if (!out.customer_created_at?.trim()) out.customer_created_at = out.timestamp;
  const cents = Number(out.unit_price_cents);
  if (Number.isFinite(cents)) out.unit_price_cents = String(Math.max(0, Math.round(cents)));
  const word = LABEL_WORDS.get(out.is_fraud?.trim().toLowerCase() ?? "");
  const label = Number(word ?? out.is_fraud);
  if (Number.isFinite(label)) out.is_fraud = label >= 0.5 ? "1" : "0";
  const quantity = Number(out.quantity);
  if (Number.isFinite(quantity)) out.quantity = String(Math.max(1, Math.round(quantity)));
  out.status = DECLINED_WORDS.has(out.status.trim().toLowerCase()) ? "declined" : "completed";
  return out;
}

async function loadRows(path: string): Promise<LabeledRow[]> {
  // a labeled file kept gzipped (as ../shared/data's are) is read as it is
  let text = "";
  for await (const chunk of await openText(path)) text += chunk;
  // Header names are matched as the issue writes them, whatever their case or stray spaces
  // ("Timestamp", " is_fraud"): another writer's spreadsheet export is still the documented file
  const columns = (header: string[]) => header.map((name) => name.trim().toLowerCase());
  const records = parse(text, { columns, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return records.map((record, i) => {
    try {
      return parseLabeledRow(normaliseRecord(record));
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

/** Runs the fraud bench. */
export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "train-fraction": { type: "string" },
      "shared-threshold": { type: "boolean" },
      operating: { type: "string" },
      novelty: { type: "string" },
      "confirmed-devices": { type: "string" },
    },
  });
  // --confirmed-devices=off (measuring): without the rule on the training part's devices of confirmed fraud
  const confirmedOption = values["confirmed-devices"] ?? "on";
  if (confirmedOption !== "on" && confirmedOption !== "off") {
    throw new Error(`--confirmed-devices is "on" or "off", got "${confirmedOption}"`);
  }
  // --operating=rate:R,window:W,min:M (the ceiling R a share, 0.05 by default); off = --shared-threshold
  const operating = values["shared-threshold"] ? null : parseOperatingOption(values.operating);
  // --novelty=fisher|rank|max|alone[-grouped] (sessions 9-10, measuring): the prior with the shop's own novelty
  const novelty = parseNoveltyOption(values.novelty, PRIOR_MONOTONE);
  const path = positionals[0];
  const trainFraction = values["train-fraction"] === undefined ? undefined : Number(values["train-fraction"]);
  if (trainFraction !== undefined && !(trainFraction > 0 && trainFraction < 1)) {
    throw new Error(
      `--train-fraction must be between 0 and 1 (exclusive), got "${values["train-fraction"]}"`,
    );
  }
  const rules = DEFAULT_FRAUD_RULES;
  const loadStart = performance.now();
  const rows = path ? await loadRows(path) : generateFraudStream().map(parseLabeledRow);
  console.log(
    `${
      path ? `Loaded "${path}"` : "Generated stream (data/fraud_stream.ts, default seed)"
    }: ${rows.length} rows ` +
      `in ${fixed(performance.now() - loadStart, 0)} ms`,
  );

  const replayStart = performance.now();
  const sales = replayWithFeatures(rows, rules);
  console.log(
    `Replayed ${sales.length} transactions (features and rules) in ${
      fixed(performance.now() - replayStart, 0)
    } ms`,
  );

  let model: FraudModel;
  let measured = sales;
  // --train-fraction: the training part's labels are known, so its devices of confirmed fraud and the rule's
  // record on it (`confirmed_device.ts`) hold for the measured part; the measured part's own labels are not
  let confirmedDevices: ConfirmedFraudDevices | undefined;
  if (trainFraction === undefined) {
    model = await loadPriorModel();
    console.log(
      `Cold start: shipped prior model (trained ${model.trainedAt} on ${model.training.source}) + rules`,
    );
  } else {
    const cut = Math.floor(sales.length * trainFraction);
    const training = sales.slice(0, cut);
    measured = sales.slice(cut);
    const trainStart = performance.now();
    model = trainFraudModel(
      training.map((s) => ({ features: s.features, isFraud: s.isFraud, atMs: s.atMs })),
      { source: `first ${cut} transactions of the file` },
    );
    const v = model.training.validation;
    console.log(
      `Trained on the first ${cut} transactions (${model.training.fraud} fraud) in ${
        fixed(performance.now() - trainStart, 0)
      } ms; validation tail (${model.training.validationRows}): precision ${fixed(v.precision)} recall ${
        fixed(v.recall)
      } f1 ${fixed(v.f1)}`,
    );
    const confirmed = replayConfirmedDevices(
      training.map((s) => ({ atMs: s.atMs, device: s.device, label: s.isFraud })),
    );
    const counts = confirmedOption === "on" && confirmedDeviceCounts(confirmed.record);
    if (counts) confirmedDevices = confirmed.devices;
    console.log(
      `Devices of confirmed fraud: ${confirmed.devices.size}; on the training part the rule fired on ${confirmed.record.firings} sales, ${confirmed.record.fraud} of them fraud: ${
        confirmedOption === "off" ? "off (--confirmed-devices=off)" : counts ? "counts" : "does not count"
      }`,
    );
    console.log(`Measuring the last ${measured.length} transactions only.`);
  }

  // Cold start: the shop's operating point in force on each day, from the prior's scores of the days before
  // (as the app stores and reads it; --shared-threshold measures the prior's shared threshold instead).
  const coldStart = trainFraction === undefined;
  // With --novelty, each day's profile is built beforehand from the days before (as a daily job would store
  // it); the sale's own reading of it is timed with the scoring below.
  const profiles = coldStart && novelty
    ? noveltyProfilesInForce(
      measured.map((s) => ({
        atMs: s.atMs,
        priorScore: modelScore(model, s.features),
        features: s.features,
      })),
      novelty,
    )
    : [];
  const priorScoreOf = (sale: (typeof measured)[number], i: number) => {
    const score = modelScore(model, sale.features);
    const profile = profiles[i];
    return profile ? noveltyAdjustedScore(profile, score, sale.features) : score;
  };
  const points: (OperatingPoint | null)[] = coldStart && operating
    ? operatingPointsInForce(
      measured.map((s, i) => ({
        atMs: s.atMs,
        priorScore: priorScoreOf(s, i),
        linkFlags: linkFlagsOf(s.features),
      })),
      // auto:K reads the prior's scores as probabilities (its calibration) to estimate the shop's fraud rate
      { ...operating, calibration: priorCalibration(model) },
    )
    : [];
  const latencies: number[] = [];
  const outcomes = measured.map((sale, i) => {
    const start = performance.now();
    const fromModel = coldStart ? priorScoreOf(sale, i) : modelScore(model, sale.features);
    const score = combineScores(
      sale.rules,
      coldStart ? calibratedPriorScore(fromModel, points[i] ?? null) : fromModel,
      trainFraction === undefined ? "prior" : "shop",
      rules.thresholds,
      sale.features,
      coldStart ? points[i]?.mutedLinks : undefined,
      confirmedDevices?.fires(sale.device, sale.atMs) ?? false,
    );
    topContributions(model, sale.features);
    latencies.push(performance.now() - start);
    return { score, isFraud: sale.isFraud, reasons: [] };
  });
  const last = points.at(-1);
  if (novelty && coldStart) {
    console.log(
      `Novelty (session 9, measuring only): the prior combined with the shop's own novelty by "${novelty.combination}"${
        novelty.groups ? ", one tail per group of related features" : ""
      }, ` +
        `a profile of the ${novelty.windowDays} days before in force on ${
          profiles.filter((p) => p).length
        } of ${profiles.length} sales`,
    );
  }
  if (coldStart) {
    const raised = new Set(
      points.filter((p) => p && p.priorThreshold > 50).map((p) => p!.priorThreshold),
    ).size;
    console.log(
      !operating
        ? "Operating point: the prior's shared threshold (50), --shared-threshold or --operating=off"
        : last
        ? `Operating point on the last day (ceiling ${
          fixed(100 * (last.maxReviewRate ?? operating.maxReviewRate), 1)
        }%${
          last.estimatedFraudRate === undefined
            ? ""
            : `, automatic: ${operating.automaticFactor} x the estimated fraud rate ${
              fixed(100 * last.estimatedFraudRate, 1)
            }%`
        }): the prior's score ${last.priorThreshold} goes to review (shared: 50); ` +
          `review load ${fixed(100 * last.reviewRate, 1)}% of sales (shared threshold: ${
            fixed(100 * last.sharedReviewRate, 1)
          }%), from ${last.sales} sales over ${last.days} days; raised on ${
            points.filter((p) => p && p.priorThreshold > 50).length
          } of ${points.length} sales (${raised} distinct thresholds)`
        : "Operating point: too few sales before the last day, the shared threshold (50) stays",
    );
  }
  const fraud = outcomes.filter((o) => o.isFraud).length;
  console.log(
    `Transactions measured: ${outcomes.length}, fraud: ${fraud} (${
      fixed(100 * fraud / Math.max(1, outcomes.length), 1)
    }%)`,
  );
  const atReview = metricsAt(outcomes, rules.thresholds.review);
  const atBlock = metricsAt(outcomes, rules.thresholds.block);
  console.log("");
  console.log(table(
    ["decision threshold", "score>=", "flagged", "TP", "FP", "FN", "precision", "recall", "F1"],
    [["review", atReview], ["block", atBlock]].map(([name, m]) => {
      const metrics = m as typeof atReview;
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
    precisionRecallCurve(outcomes).map((m) => [
      m.threshold,
      m.flagged,
      fixed(m.precision),
      fixed(m.recall),
      fixed(m.f1),
    ]),
  ));
  const use = featureUse(model.trees);
  const totalUse = use.reduce((a, b) => a + b, 0) || 1;
  console.log("\nFeatures that matter most (share of the model's splits' effect):");
  console.log(table(
    ["feature", "share"],
    Array.from(use, (u, i) => [model.features[i], u / totalUse] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, share]) => [name, fixed(share)]),
  ));
  const sorted = latencies.slice().sort((a, b) => a - b);
  console.log(
    `\nModel scoring latency (score + reasons, features precomputed) over ${sorted.length} calls: p50 ${
      fixed(percentile(sorted, 0.5) * 1000, 1)
    } µs, p99 ${fixed(percentile(sorted, 0.99) * 1000, 1)} µs`,
  );
  const pr = averagePrecision(outcomes);
  console.log(
    `precision=${fixed(atReview.precision)} recall=${fixed(atReview.recall)} f1=${
      fixed(atReview.f1)
    } pr_auc=${fixed(pr)}`,
  );
}
