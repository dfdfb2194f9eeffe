/**
 * An AutoETS-class baseline for the forecast benchmark, implemented here so the comparison needs no
 * R or Python: additive-error exponential smoothing chosen by AICc among ANN, AAdN, ANA and AAdA
 * (weekly seasonality), smoothing parameters fitted by Nelder-Mead on the Gaussian likelihood
 * (n log(SSE / n)), and analytic prediction intervals of the linear models. Private to `bench/`.
 */

/** The four model forms: trend (damped or none) and seasonality (additive or none). */
const FORMS = [
  { name: "ANN", trend: false, season: false },
  { name: "AAdN", trend: true, season: false },
  { name: "ANA", trend: false, season: true },
  { name: "AAdA", trend: true, season: true },
] as const;
type Form = (typeof FORMS)[number];

/** Smoothing parameters of one form; beta and phi unused without trend, gamma without season. */
interface Params {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** Maps unconstrained optimiser coordinates to admissible parameters (beta < alpha, gamma < 1 - alpha). */
function toParams(x: readonly number[], form: Form): Params {
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const alpha = 1e-4 + 0.9998 * sigmoid(x[0]);
  let i = 1;
  const beta = form.trend ? alpha * sigmoid(x[i++]) : 0;
  const phi = form.trend ? 0.8 + 0.18 * sigmoid(x[i++]) : 1;
  const gamma = form.season ? (1 - alpha) * sigmoid(x[i++]) : 0;
  return { alpha, beta, gamma, phi };
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Starting coordinates: alpha 0.1, beta 0.01, phi 0.97, gamma 0.01 (the usual AutoETS start). */
function start(form: Form): number[] {
  const x = [logit((0.1 - 1e-4) / 0.9998)];
  if (form.trend) x.push(logit(0.1), logit((0.97 - 0.8) / 0.18));
  if (form.season) x.push(logit(0.01 / 0.9));
  return x;
}

interface State {
  level: number;
  trend: number;
  season: Float64Array;
}

/** Heuristic initial states (first cycle's mean, change to the second, first cycle's deviations). */
function initialState(y: readonly number[], m: number, form: Form): State {
  const cycle = Math.min(m, y.length);
  let first = 0;
  for (let t = 0; t < cycle; t++) first += y[t];
  first /= cycle;
  let trend = 0;
  if (form.trend && y.length >= 2 * m) {
    let second = 0;
    for (let t = m; t < 2 * m; t++) second += y[t];
    trend = (second / m - first) / m;
  }
  const season = new Float64Array(m);
  if (form.season) { for (let i = 0; i < cycle; i++) season[i] = y[i] - first; }
  return { level: first, trend, season };
}

/** One pass; returns SSE and leaves the final states in `state` (seasonal slot t % m). */
function pass(y: readonly number[], m: number, form: Form, p: Params, init: State, out?: State): number {
  let level = init.level;
  let trend = init.trend;
  const season = init.season.slice();
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = form.season ? season[t % m] : 0;
    const damped = form.trend ? p.phi * trend : 0;
    const error = y[t] - (level + damped + s);
    sse += error * error;
    level += damped + p.alpha * error;
    if (form.trend) trend = damped + p.beta * error;
    if (form.season) season[t % m] = s + p.gamma * error;
  }
  if (out) {
    out.level = level;
    out.trend = trend;
    out.season = season;
  }
  return sse;
}

/** Nelder-Mead minimisation of `f` from `x0` (standard coefficients, fixed evaluation budget). */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  maxEvaluations = 200,
): number[] {
  const d = x0.length;
  let simplex = [x0.slice()];
  for (let i = 0; i < d; i++) {
    const vertex = x0.slice();
    vertex[i] += 0.5;
    simplex.push(vertex);
  }
  let values = simplex.map(f);
  let evaluations = simplex.length;
  while (evaluations < maxEvaluations) {
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    if (Math.abs(values[d] - values[0]) < 1e-8 * (Math.abs(values[0]) + 1e-12)) break;
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] += simplex[i][j] / d;
    const along = (k: number) => centroid.map((c, j) => c + k * (simplex[d][j] - c));
    const reflected = along(-1);
    const fr = f(reflected);
    evaluations++;
    if (fr < values[0]) {
      const expanded = along(-2);
      const fe = f(expanded);
      evaluations++;
      if (fe < fr) [simplex[d], values[d]] = [expanded, fe];
      else [simplex[d], values[d]] = [reflected, fr];
    } else if (fr < values[d - 1]) {
      [simplex[d], values[d]] = [reflected, fr];
    } else {
      const contracted = fr < values[d] ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      evaluations++;
      if (fc < Math.min(fr, values[d])) {
        [simplex[d], values[d]] = [contracted, fc];
      } else {
        for (let i = 1; i <= d; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
          values[i] = f(simplex[i]);
          evaluations++;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return simplex[best];
}

/** A forecast of the baseline with its chosen form and intervals. */
export interface EtsForecast {
  form: string;
  point: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

const Z90 = 1.2815515655446004;
const Z975 = 1.959963984540054;

/**
 * AutoETS: fits the four forms, keeps the lowest AICc, forecasts `horizon` days with normal
 * intervals from the model's h-step variance sigma^2 (1 + sum_{j<h} c_j^2). Values clamped at 0.
 */
export function autoEts(y: readonly number[], horizon: number, m = 7): EtsForecast {
  const n = y.length;
  let best: { form: Form; params: Params; state: State; aicc: number; sse: number } | null = null;
  for (const form of FORMS) {
    if (form.season && n < 2 * m + 2) continue;
    const init = initialState(y, m, form);
    const objective = (x: number[]) => pass(y, m, form, toParams(x, form), init);
    const params = toParams(nelderMead(objective, start(form)), form);
    const state: State = { level: 0, trend: 0, season: new Float64Array(m) };
    const sse = Math.max(pass(y, m, form, params, init, state), 1e-9);
    // Parameters counted as AutoETS counts them: smoothing constants, initial states, and sigma.
    const smoothing = 1 + (form.trend ? 2 : 0) + (form.season ? 1 : 0);
    const initial = 1 + (form.trend ? 1 : 0) + (form.season ? m - 1 : 0);
    const k = smoothing + initial + 1;
    const aicc = n * Math.log(sse / n) + 2 * k + (n - k - 1 > 0 ? (2 * k * (k + 1)) / (n - k - 1) : Infinity);
    if (!best || aicc < best.aicc) best = { form, params, state, aicc, sse };
  }
  const { form, params, state, sse } = best!;
  const sigma2 = sse / n;
  const point: number[] = [];
  const lower80: number[] = [];
  const upper80: number[] = [];
  const lower95: number[] = [];
  const upper95: number[] = [];
  let dampSum = 0;
  let phiPower = 1;
  let variance = sigma2;
  for (let h = 1; h <= horizon; h++) {
    phiPower *= params.phi;
    dampSum += phiPower;
    const s = form.season ? state.season[(n + h - 1) % m] : 0;
    const value = state.level + (form.trend ? dampSum * state.trend : 0) + s;
    if (h > 1) {
      const j = h - 1;
      // c_j for the linear additive-error forms (Hyndman et al. 2008, table 6.1), with dampSum_j.
      let damped = 0;
      let power = 1;
      for (let i = 1; i <= j; i++) {
        power *= params.phi;
        damped += power;
      }
      const c = params.alpha + (form.trend ? params.beta * damped : 0) +
        (form.season && j % m === 0 ? params.gamma : 0);
      variance += sigma2 * c * c;
    }
    const sd = Math.sqrt(variance);
    point.push(Math.max(0, value));
    lower80.push(Math.max(0, value - Z90 * sd));
    upper80.push(Math.max(0, value + Z90 * sd));
    lower95.push(Math.max(0, value - Z975 * sd));
    upper95.push(Math.max(0, value + Z975 * sd));
  }
  return { form: form.name, point, lower80, upper80, lower95, upper95 };
}
