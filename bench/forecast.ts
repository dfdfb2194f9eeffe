/**
 * `deno task bench forecast [FILE] [--part all|dev|holdout] [--origins 4] [--products N] [--synthetic 10000]`:
 * rolling-origin backtests (14-day horizon, origins 14 days apart at the end of each series) of
 * `forecastDemand`, of every model alone, of seasonal naive, a 28-day mean and an AutoETS-class
 * baseline (bench/_auto_ets.ts), with MASE and interval coverage; then the time to forecast 10,000
 * synthetic products x 365 days. FILE is a CSV `series_id,date,units` (any real daily series); without
 * it, the Online Retail products. `--part` keeps a fixed hash-split third (dev) or the other two
 * thirds (holdout): methods are developed on dev only, so holdout figures are on unseen series.
 * Ends with `forecast series=N mase=M snaive=S ets=E cover80=C80 cover95=C95`.
 */
import process from "node:process";
import { parse } from "csv-parse/stream";
import { forecastDemand, mase, MODELS } from "../server/forecast/mod.ts";
import { dailyDemandSeries, type DemandRow } from "../server/inventory/demand_series.ts";
import { autoEts } from "./_auto_ets.ts";
import { loadOnlineRetail, onlineRetailPath, type ProductSeries } from "./_online_retail.ts";

/** Online Retail products need this many days between first sale and the end of the data. */
const MIN_SPAN_DAYS = 120;
/** Fewest days of history a series must have at an origin. */
const MIN_TRAIN_DAYS = 56;
const HORIZON = 14;
const SEASON = 7;

interface Options {
  file: string | null;
  part: "all" | "dev" | "holdout";
  origins: number;
  products: number;
  synthetic: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { file: null, part: "all", origins: 4, products: Infinity, synthetic: 10_000 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      options.file = arg;
      continue;
    }
    const name = arg.slice(2);
    const value = args[++i];
    if (name === "part" && (value === "all" || value === "dev" || value === "holdout")) options.part = value;
    else if ((name === "origins" || name === "products" || name === "synthetic") && Number(value) > 0) {
      options[name] = Number(value);
    } else throw new Error(`Unknown or bad option "${arg} ${value}"`);
  }
  return options;
}

/** FNV-1a hash of a series id: a split that does not depend on file order. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Whether a series is in the development third (everything tuned was tuned on these only). */
export function isDevelopmentSeries(id: string): boolean {
  return hash(id) % 3 === 0;
}

/** Reads a `series_id,date,units` CSV into zero-filled daily series (first date to the file's last). */
async function loadCsv(path: string): Promise<ProductSeries[]> {
  const file = await Deno.open(path);
  const bySeries = new Map<string, DemandRow[]>();
  let lastDay = "";
  const records = file.readable.pipeThrough(parse({ columns: true, skip_empty_lines: true, trim: true }));
  let line = 1;
  for await (const record of records as ReadableStream<Record<string, string>>) {
    line++;
    const id = record.series_id;
    const day = (record.date ?? "").slice(0, 10);
    const units = Number(record.units);
    if (!id || !/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(units)) {
      throw new Error(`${path} line ${line}: expected series_id,date,units, got ${JSON.stringify(record)}`);
    }
    if (day > lastDay) lastDay = day;
    const rows = bySeries.get(id);
    if (rows) rows.push({ day, units });
    else bySeries.set(id, [{ day, units }]);
  }
  const series: ProductSeries[] = [];
  for (const [id, rows] of bySeries) {
    const daily = dailyDemandSeries(rows, { to: lastDay });
    if (daily.start) series.push({ id, start: daily.start, units: daily.units });
  }
  return series.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Running sums of one method's scores. */
class Tally {
  mase = 0;
  windows = 0;
  in80 = 0;
  in95 = 0;
  days = 0;
  add(
    actual: readonly number[],
    train: readonly number[],
    forecast: { point: number[] } & Partial<Bands>,
  ): void {
    this.mase += mase(actual, forecast.point, train, SEASON);
    this.windows++;
    if (!forecast.lower80) return;
    for (let h = 0; h < actual.length; h++) {
      if (actual[h] >= forecast.lower80[h] && actual[h] <= forecast.upper80![h]) this.in80++;
      if (actual[h] >= forecast.lower95![h] && actual[h] <= forecast.upper95![h]) this.in95++;
      this.days++;
    }
  }
  get meanMase(): number {
    return this.mase / this.windows;
  }
  get cover80(): number {
    return this.days ? this.in80 / this.days : Number.NaN;
  }
  get cover95(): number {
    return this.days ? this.in95 / this.days : Number.NaN;
  }
}

interface Bands {
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

interface Evaluation {
  tallies: Map<string, Tally>;
  choices: Map<string, number>;
  fallbacks: number;
  series: number;
}

/** Rolling-origin evaluation of every method on every series. */
function evaluate(series: readonly ProductSeries[], origins: number): Evaluation {
  const tallies = new Map<string, Tally>();
  const tally = (name: string) => {
    if (!tallies.has(name)) tallies.set(name, new Tally());
    return tallies.get(name)!;
  };
  const choices = new Map<string, number>();
  let fallbacks = 0;
  let used = 0;
  for (const { units: y } of series) {
    let any = false;
    for (let j = 0; j < origins; j++) {
      const origin = y.length - HORIZON * (j + 1);
      if (origin < MIN_TRAIN_DAYS) break;
      const train = y.slice(0, origin);
      if (!train.some((value) => value > 0)) continue;
      any = true;
      const actual = y.slice(origin, origin + HORIZON);
      const forecast = forecastDemand(train, { horizon: HORIZON, seasonLength: SEASON });
      tally("forecastDemand").add(actual, train, forecast);
      choices.set(forecast.model, (choices.get(forecast.model) ?? 0) + 1);
      if (forecast.fallback) fallbacks++;
      tally("auto_ets").add(actual, train, autoEts(train, HORIZON, SEASON));
      for (const name of Object.keys(MODELS)) {
        tally(name).add(actual, train, MODELS[name](train, { horizon: HORIZON, seasonLength: SEASON }));
      }
    }
    if (any) used++;
  }
  return { tallies, choices, fallbacks, series: used };
}

function percent(value: number): string {
  return Number.isNaN(value) ? "" : `${(100 * value).toFixed(1)}%`;
}

function printEvaluation(title: string, evaluation: Evaluation, seconds: number): void {
  const windows = evaluation.tallies.get("forecastDemand")?.windows ?? 0;
  console.log(
    `\n## ${title}: ${evaluation.series} series, ${windows} windows of ${HORIZON} days (${
      seconds.toFixed(1)
    } s)`,
  );
  const naive = evaluation.tallies.get("seasonal_naive")!.meanMase;
  console.log("| method | mean MASE | vs seasonal naive | coverage 80% | coverage 95% |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, t] of evaluation.tallies) {
    const label = name === "moving_mean"
      ? "moving_mean (28-day mean)"
      : name === "auto_ets"
      ? "auto_ets (AICc)"
      : name;
    const relative = `${((100 * (t.meanMase - naive)) / naive).toFixed(1)}%`;
    console.log(
      `| ${label} | ${t.meanMase.toFixed(3)} | ${relative} | ${percent(t.cover80)} | ${percent(t.cover95)} |`,
    );
  }
  const chosen = [...evaluation.choices].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
  console.log(`chosen: ${chosen.join(", ")}; fell back to a baseline in ${evaluation.fallbacks} windows`);
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

/** Times `forecastDemand` (horizon 30, as the predictions job runs it) over synthetic products x 365 days. */
function timeSynthetic(count: number): void {
  const synthetic = syntheticProducts(count, 365);
  const load = Deno.loadavg()[0];
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  let checksum = 0;
  for (const history of synthetic) checksum += forecastDemand(history, { horizon: 30 }).point[0];
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  // The machine is shared: the CPU time this process got says more than the wall clock under load
  console.log(
    `## Speed: ${count} synthetic products x 365 days, horizon 30: ${seconds.toFixed(2)} s ` +
      `(${((1000 * seconds) / count).toFixed(2)} ms each, CPU ${
        ((cpu.user + cpu.system) / 1e6).toFixed(2)
      } s, ` +
      `load ${load.toFixed(1)}, checksum ${checksum.toFixed(1)})`,
  );
}

/** Runs the benchmark and prints its tables and the summary line. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  // Timed first, in a fresh heap, so the figure does not depend on the data loaded after it.
  timeSynthetic(options.synthetic);

  let series: ProductSeries[];
  let title: string;
  if (options.file) {
    series = await loadCsv(options.file);
    title = options.file;
  } else {
    const retail = await loadOnlineRetail(onlineRetailPath(), { minSpanDays: MIN_SPAN_DAYS });
    series = retail.products;
    title = `Online Retail products with >= ${MIN_SPAN_DAYS} days, up to ${retail.lastDay}`;
  }
  if (options.part !== "all") {
    const dev = options.part === "dev";
    series = series.filter((s) => isDevelopmentSeries(s.id) === dev);
    title += ` (${options.part} part)`;
  }
  series = series.slice(0, options.products);
  const started = performance.now();
  const evaluation = evaluate(series, options.origins);
  printEvaluation(title, evaluation, (performance.now() - started) / 1000);

  const t = evaluation.tallies;
  const ours = t.get("forecastDemand")!;
  const value = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "NaN");
  console.log(
    `forecast series=${evaluation.series} mase=${value(ours.meanMase)} snaive=${
      value(t.get("seasonal_naive")!.meanMase)
    } ets=${value(t.get("auto_ets")!.meanMase)} cover80=${value(ours.cover80)} cover95=${
      value(ours.cover95)
    }`,
  );
}
