/**
 * `deno task bench forecast [--horizon 28] [--origins 4] [--products N] [--synthetic 10000]`:
 * rolling-origin backtests of every forecasting model and of the per-product selection on the real
 * UCI Online Retail file and on the shop's sample data, then the time to forecast synthetic products.
 */
import { parse } from "csv-parse/stream";
import { forecastDemand, mase, MODELS, smape } from "../server/forecast/mod.ts";
import { dailyDemandSeries, type DemandRow } from "../server/inventory/demand_series.ts";
import { loadOnlineRetail, type ProductSeries } from "./_online_retail.ts";

const ONLINE_RETAIL = new URL("../../shared/data/online_retail.csv.gz", import.meta.url);
const SAMPLE_TRANSACTIONS = new URL("../data/sample/transactions.csv", import.meta.url);
/** Online Retail products need this many days between first sale and the end of the data. */
const MIN_SPAN_DAYS = 120;
/** Fewest days of history a product must have at an outer origin. */
const MIN_TRAIN_DAYS = 56;
/**
 * The sample shop covers 90 days by default (`deno task generate-data --days N` makes more), so it is
 * backtested with two-week windows from origins that leave at least six weeks of history.
 */
const SAMPLE_LAYOUT = { horizon: 14, origins: 3, minTrain: 42 };

interface Options {
  horizon: number;
  origins: number;
  products: number;
  synthetic: number;
}

/** Where the outer backtest's origins go: `origins` origins one `horizon` apart at the end of each series. */
interface Layout {
  horizon: number;
  origins: number;
  minTrain: number;
}

/** Accuracy and coverage of one method over all product-origin pairs. */
interface Score {
  mase: number;
  smape: number;
  coverage80: number;
  coverage95: number;
  count: number;
}

interface Evaluation {
  methods: Map<string, Score>;
  choices: Map<string, number>;
  series: number;
  windows: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { horizon: 28, origins: 4, products: Infinity, synthetic: 10_000 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "") as keyof Options;
    const value = Number(args[i + 1]);
    if (!(name in options) || !(value > 0)) {
      throw new Error(`Unknown or bad option "${args[i]} ${args[i + 1]}"`);
    }
    options[name] = value;
  }
  return options;
}

/**
 * Outer rolling-origin backtest: for each product, forecasts `horizon` days from `origins` origins
 * spaced one horizon apart at the end of the data, with every model alone and with the selection.
 */
function evaluate(products: readonly ProductSeries[], options: Layout): Evaluation {
  const names = [...Object.keys(MODELS), "selected"];
  const sums = new Map(
    names.map((name) => [name, { mase: 0, smape: 0, in80: 0, in95: 0, days: 0, count: 0 }]),
  );
  const choices = new Map<string, number>();
  let windows = 0;
  for (const product of products) {
    const y = product.units;
    for (let j = 0; j < options.origins; j++) {
      const origin = y.length - options.horizon * (j + 1);
      if (origin < options.minTrain) break;
      windows++;
      const train = y.slice(0, origin);
      const actual = y.slice(origin, origin + options.horizon);
      for (const name of Object.keys(MODELS)) {
        const { point } = MODELS[name](train, { horizon: options.horizon, seasonLength: 7 });
        const sum = sums.get(name)!;
        sum.mase += mase(actual, point, train, 7);
        sum.smape += smape(actual, point);
        sum.count++;
      }
      const forecast = forecastDemand(train, { horizon: options.horizon });
      choices.set(forecast.model, (choices.get(forecast.model) ?? 0) + 1);
      const sum = sums.get("selected")!;
      sum.mase += mase(actual, forecast.point, train, 7);
      sum.smape += smape(actual, forecast.point);
      sum.count++;
      for (let h = 0; h < actual.length; h++) {
        if (actual[h] >= forecast.lower80[h] && actual[h] <= forecast.upper80[h]) sum.in80++;
        if (actual[h] >= forecast.lower95[h] && actual[h] <= forecast.upper95[h]) sum.in95++;
        sum.days++;
      }
    }
  }
  const methods = new Map<string, Score>();
  for (const [name, sum] of sums) {
    methods.set(name, {
      mase: sum.mase / sum.count,
      smape: sum.smape / sum.count,
      coverage80: sum.days ? sum.in80 / sum.days : NaN,
      coverage95: sum.days ? sum.in95 / sum.days : NaN,
      count: sum.count,
    });
  }
  return { methods, choices, series: products.length, windows };
}

function printEvaluation(title: string, layout: Layout, evaluation: Evaluation, seconds: number): void {
  const windows = `${evaluation.windows} windows of ${layout.horizon} days`;
  const origins = `up to ${layout.origins} origins one window apart`;
  console.log(
    `\n## ${title}: ${evaluation.series} products, ${windows} from ${origins} (${seconds.toFixed(1)} s)`,
  );
  console.log("| method | mean MASE | mean sMAPE % | coverage 80% | coverage 95% |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, score] of evaluation.methods) {
    const coverage = (value: number) => (Number.isNaN(value) ? "" : `${(100 * value).toFixed(1)}%`);
    console.log(
      `| ${name} | ${score.mase.toFixed(3)} | ${score.smape.toFixed(1)} | ${coverage(score.coverage80)} | ${
        coverage(score.coverage95)
      } |`,
    );
  }
  const chosen = [...evaluation.choices].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
  console.log(`models chosen: ${chosen.join(", ")}`);
}

/** Reads the sample shop's completed transactions into daily units per SKU, or null when the file is missing. */
async function loadSample(minSpanDays: number): Promise<ProductSeries[] | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(SAMPLE_TRANSACTIONS);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const timeZone = Deno.env.get("STORE_TZ") ?? "UTC";
  const dayOf = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const bySku = new Map<string, DemandRow[]>();
  let firstDay = "";
  let lastDay = "";
  const records = file.readable.pipeThrough(parse({ columns: true, skip_empty_lines: true }));
  for await (const record of records as ReadableStream<Record<string, string>>) {
    if (record.status !== "completed") continue;
    const quantity = Number(record.quantity);
    const created = new Date(record.created_at);
    if (!Number.isFinite(quantity) || Number.isNaN(created.getTime())) continue;
    const day = dayOf.format(created);
    if (day > lastDay) lastDay = day;
    if (!firstDay || day < firstDay) firstDay = day;
    const rows = bySku.get(record.sku);
    if (rows) rows.push({ day, units: quantity });
    else bySku.set(record.sku, [{ day, units: quantity }]);
  }
  const products: ProductSeries[] = [];
  for (const [id, rows] of bySku) {
    // Every catalogue product is on sale for the whole sample window, so days before a SKU's first
    // sale are real zero-demand days.
    const series = dailyDemandSeries(rows, { from: firstDay, to: lastDay });
    if (series.start && series.units.length >= minSpanDays) {
      products.push({ id, start: series.start, units: series.units });
    }
  }
  return products.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Deterministic pseudo-random numbers (mulberry32), so every run times the same products. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw by inversion; fine for the small rates of daily unit sales. */
function poisson(rate: number, next: () => number): number {
  if (rate > 30) {
    return Math.max(0, Math.round(rate + Math.sqrt(rate) * (next() + next() + next() - 1.5) * 2));
  }
  let k = 0;
  let p = Math.exp(-rate);
  let cumulative = p;
  const u = next();
  while (u > cumulative && k < 200) {
    k++;
    p *= rate / k;
    cumulative += p;
  }
  return k;
}

/** Synthetic daily histories: a mix of steady, trending, weekly-seasonal and intermittent products. */
function syntheticProducts(count: number, days: number): number[][] {
  const next = random(42);
  const products: number[][] = [];
  for (let i = 0; i < count; i++) {
    const base = i % 3 === 0 ? 0.05 + next() * 0.5 : 1 + next() * 40;
    const trend = (next() - 0.5) * base * 0.004;
    const weekly = Array.from({ length: 7 }, () => 0.6 + next() * 0.8);
    products.push(
      Array.from({ length: days }, (_, t) => poisson(Math.max(0, (base + trend * t) * weekly[t % 7]), next)),
    );
  }
  return products;
}

function summaryValue(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : "NaN";
}

/** Times `forecastDemand` (horizon 30) over synthetic products with a year of history; returns products per second. */
function timeSynthetic(count: number): number {
  const synthetic = syntheticProducts(count, 365);
  const started = performance.now();
  let checksum = 0;
  for (const history of synthetic) checksum += forecastDemand(history, { horizon: 30 }).point[0];
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n## Speed: ${count} synthetic products x 365 days, horizon 30: ${seconds.toFixed(2)} s ` +
      `(${(count / seconds).toFixed(0)} products/s, ${((1000 * seconds) / count).toFixed(2)} ms each, ` +
      `checksum ${checksum.toFixed(1)})`,
  );
  return count / seconds;
}

/** Runs the benchmark and prints its tables and one summary line. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  // Timed first, in a fresh heap, so the figure does not depend on the datasets loaded before it.
  const perSecond = timeSynthetic(options.synthetic);

  const retail = await loadOnlineRetail(ONLINE_RETAIL.pathname, { minSpanDays: MIN_SPAN_DAYS });
  const rejected = Object.entries(retail.rejected).map(([reason, n]) => `${reason} ${n}`).join(", ");
  console.log(
    `\nOnline Retail: ${retail.rows} rows read, ${retail.kept} sales kept (rejected: ${rejected}); ` +
      `${retail.products.length} products with >= ${MIN_SPAN_DAYS} days of history, up to ${retail.lastDay}`,
  );
  const retailLayout: Layout = {
    horizon: options.horizon,
    origins: options.origins,
    minTrain: MIN_TRAIN_DAYS,
  };
  let started = performance.now();
  const retailScores = evaluate(retail.products.slice(0, options.products), retailLayout);
  printEvaluation("Online Retail (UCI)", retailLayout, retailScores, (performance.now() - started) / 1000);

  const sampleSpan = SAMPLE_LAYOUT.minTrain + SAMPLE_LAYOUT.horizon;
  const sample = await loadSample(sampleSpan);
  let sampleScores: Evaluation | null = null;
  if (!sample) {
    console.log(`\n## Sample data: skipped, ${SAMPLE_TRANSACTIONS.pathname} does not exist yet`);
  } else if (sample.length === 0) {
    console.log(`\n## Sample data: skipped, no SKU has ${sampleSpan} days of completed sales`);
  } else {
    started = performance.now();
    sampleScores = evaluate(sample.slice(0, options.products), SAMPLE_LAYOUT);
    printEvaluation("Sample shop data", SAMPLE_LAYOUT, sampleScores, (performance.now() - started) / 1000);
  }

  const r = retailScores.methods;
  const parts = [
    `mase_selected=${summaryValue(r.get("selected")!.mase)}`,
    `mase_naive=${summaryValue(r.get("seasonal_naive")!.mase)}`,
    `mase_hybrid=${summaryValue(r.get("hybrid")!.mase)}`,
    `coverage80=${summaryValue(r.get("selected")!.coverage80)}`,
  ];
  if (sampleScores) {
    const s = sampleScores.methods;
    parts.push(
      `sample_mase_selected=${summaryValue(s.get("selected")!.mase)}`,
      `sample_mase_naive=${summaryValue(s.get("seasonal_naive")!.mase)}`,
      `sample_mase_hybrid=${summaryValue(s.get("hybrid")!.mase)}`,
      `sample_coverage80=${summaryValue(s.get("selected")!.coverage80)}`,
    );
  }
  parts.push(`products_per_s=${perSecond.toFixed(0)}`);
  console.log(`forecast ${parts.join(" ")}`);
}
