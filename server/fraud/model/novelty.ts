/**
 * A per-shop novelty score for cold start (session 9, measured; see docs/fraud.md): how rare a sale is in the
 * shop's own recent sales, read from no label at all, combined with the prior's score.
 *
 * The prior learned from generated shops what fraud looks like; a shop it never saw may have honest customers
 * that look like that (generator A's many honest brand-new accounts) or fraud it never learned. Its own
 * unlabeled sales say what is common there. For each feature with a direction that holds in every shop (more
 * accounts on one device is never safer, an older account never riskier: the prior's monotone directions),
 * the sale's tail share is the share of the window's sales at least as far out in the risky direction; the
 * novelty is the sum of their minus logs (Fisher's statistic), so a sale far out on several features scores
 * high and a sale common in this shop scores near 0 however risky it looks elsewhere.
 *
 * Time-ordered like the operating point: the profile in force on a UTC day is built from the sales of the
 * `windowDays` before that day (never the day itself, never later), once a day, so a request would read a
 * stored profile (binary searches only). The combined score is put back on the prior's own scale through the
 * window's prior scores: the shop's review load at any threshold stays the prior's, only which sales fill it
 * changes.
 */
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";
import { DAY_MS, dayStartMs } from "./operating_point.ts";
import { type IsolationForest, isolationScore, trainIsolationForest } from "./isolation_forest.ts";

/**
 * How the prior's tail share and the novelty's tail share (both among the window's sales) are combined:
 * `fisher` multiplies them, `rank` averages them, `max` takes the rarer of the two. `alone` reads the
 * novelty only (a diagnostic: does the shop's own rarity rank its fraud at all?).
 */
export type NoveltyCombination = "fisher" | "rank" | "max" | "alone";

export const NOVELTY_COMBINATIONS: readonly NoveltyCombination[] = ["fisher", "rank", "max"];

/** Which sales a profile is built from, and how it is combined. */
export interface NoveltyOptions {
  combination: NoveltyCombination;
  /** Days of sales before the day the profile is built for. */
  windowDays: number;
  /** Fewer sales than this in the window: no profile, the prior's score stands. */
  minSales: number;
  /** The features read, with their risky direction (1: higher is riskier, -1: lower is riskier). */
  directions: Partial<Record<FeatureName, 1 | -1>>;
  /**
   * `tails` (the default): the sum of -ln(tail share); `forest`: an isolation forest's score on the same
   * features (missing values filled in with the window's median; the directions are not used).
   */
  detector?: "tails" | "forest";
  /**
   * Session 10: features that measure one idea, read as one tail each (the rarest of the group, that is the
   * largest -ln(tail share)), so a sale far out on one idea counts once, not once per feature. A feature in no
   * group counts alone; without groups every feature counts alone (session 9's sum).
   */
  groups?: readonly (readonly FeatureName[])[];
}

/**
 * The prior's directional features grouped by what they measure (docs/fraud.md "Features"), written from
 * their meaning before any held-out figure of the grouped novelty was seen (session 10):
 */
export const NOVELTY_GROUPS: Readonly<Record<string, readonly FeatureName[]>> = {
  /** A young account, buying for the first time. */
  "new account": ["account_age_minutes", "first_purchase"],
  /** Many orders in a short time from the same customer, device or IP. */
  "order velocity": ["customer_orders_1h", "customer_orders_24h", "device_orders_1h", "ip_orders_1h"],
  /** A large order: its amount against the customer's and the category's usual, its units. */
  "large order": ["amount_vs_own_median", "amount_vs_category_norm", "max_quantity", "high_resale_units"],
  /** Other accounts on the same device, IP, email or card. */
  "shared identity": ["device_accounts", "ip_accounts", "email_accounts", "card_accounts"],
  /** Declined attempts, the customer's own or on the same device, IP or card. */
  "declines": ["declines_24h", "linked_declines_24h"],
  /** A throw-away or never-seen email domain. */
  "email": ["disposable_email", "new_email_domain"],
  /** Billing and shipping countries that differ. */
  "country": ["country_mismatch"],
};

/** A shop's picture of its window: per feature the sorted values, and the sorted prior and combined scores. */
export interface NoveltyProfile {
  /** In group order: the features of one group are adjacent, `group` numbers them. */
  features: readonly { index: number; direction: 1 | -1; sorted: Float64Array; group: number }[];
  /** With the `forest` detector: the window's forest and each feature's median (for missing values). */
  forest?: { model: IsolationForest; medians: number[] };
  /** The window's prior scores, ascending. */
  priorScores: Float64Array;
  /** The window's combined statistics (against this profile), ascending. */
  combined: Float64Array;
  combination: NoveltyCombination;
}

/** First index whose value is >= x (ascending array). */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x (ascending array). */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The share of `sorted` (ascending) at least as far as x in the risky direction, with one added to both
 * counts: a value beyond every past one gets 1 / (n + 1), never 0, and the most common value gets about 1.
 * @example tailShare(Float64Array.of(0, 0, 0, 5), 5, 1) // (1 + 1) / (1 + 4) = 0.4
 */
export function tailShare(sorted: Float64Array, x: number, direction: 1 | -1): number {
  const count = direction === 1 ? sorted.length - lowerBound(sorted, x) : upperBound(sorted, x);
  return (1 + count) / (1 + sorted.length);
}

/**
 * The sale's novelty against a profile: the sum over groups of the group's largest -ln(tail share) among its
 * known features (each feature its own group unless grouped), or the forest's score.
 */
export function noveltyOf(
  profile: Pick<NoveltyProfile, "features" | "forest">,
  features: ArrayLike<number>,
): number {
  if (profile.forest) {
    const { model, medians } = profile.forest;
    return isolationScore(model, forestRow(profile.features, medians, features));
  }
  let sum = 0, group = -1, largest = 0;
  for (const f of profile.features) {
    if (f.group !== group) {
      sum += largest;
      group = f.group;
      largest = 0;
    }
    const x = features[f.index];
    if (Number.isNaN(x) || f.sorted.length === 0) continue;
    largest = Math.max(largest, -Math.log(tailShare(f.sorted, x, f.direction)));
  }
  return sum + largest;
}

/** The directions' features with their group number, the features of one group adjacent. */
function groupedFeatures(
  directions: NoveltyOptions["directions"],
  groups: NoveltyOptions["groups"] = [],
): { name: FeatureName; direction: 1 | -1; group: number }[] {
  const names = Object.keys(directions) as FeatureName[];
  const groupOf = (name: FeatureName) => {
    const g = groups.findIndex((members) => members.includes(name));
    return g === -1 ? groups.length + names.indexOf(name) : g;
  };
  return names
    .map((name) => ({ name, direction: directions[name] as 1 | -1, group: groupOf(name) }))
    .sort((a, b) => a.group - b.group); // stable: ungrouped keeps the directions' order
}

/** The combined statistic of two tail shares (smaller share = rarer); higher is riskier. */
export function combineTails(
  priorTail: number,
  noveltyTail: number,
  combination: NoveltyCombination,
): number {
  if (combination === "fisher") return -Math.log(priorTail) - Math.log(noveltyTail);
  if (combination === "rank") return 1 - (priorTail + noveltyTail) / 2;
  if (combination === "alone") return -Math.log(noveltyTail);
  return -Math.log(Math.min(priorTail, noveltyTail));
}

/** Tail shares of a sale's prior score and novelty among the window's (the novelties sorted ascending). */
function combinedStatistic(
  profile: Pick<NoveltyProfile, "features" | "forest" | "priorScores" | "combination">,
  noveltySorted: Float64Array,
  priorScore: number,
  features: ArrayLike<number>,
): number {
  return combineTails(
    tailShare(profile.priorScores, priorScore, 1),
    tailShare(noveltySorted, noveltyOf(profile, features), 1),
    profile.combination,
  );
}

/**
 * The profile of a window of sales (their features and prior scores), or null below `minSales`.
 * The window's own combined statistics are kept sorted, to put a new sale's on the prior's scale.
 */
export function noveltyProfileOf(
  window: readonly { features: ArrayLike<number>; priorScore: number }[],
  options: Pick<NoveltyOptions, "combination" | "minSales" | "directions" | "detector" | "groups">,
): (NoveltyProfile & { noveltySorted: Float64Array }) | null {
  if (window.length < options.minSales || window.length === 0) return null;
  const features = groupedFeatures(options.directions, options.groups).map(({ name, direction, group }) => {
    const index = FEATURE_NAMES.indexOf(name);
    const values = window.map((s) => s.features[index]).filter((v) => !Number.isNaN(v));
    return { index, direction, sorted: Float64Array.from(values).sort(), group };
  });
  const priorScores = Float64Array.from(window, (s) => s.priorScore).sort();
  const forest = options.detector === "forest" ? windowForest(features, window) : undefined;
  const noveltySorted = Float64Array.from(window, (s) => noveltyOf({ features, forest }, s.features)).sort();
  const partial = { features, forest, priorScores, combination: options.combination };
  const combined = Float64Array.from(
    window,
    (s) => combinedStatistic(partial, noveltySorted, s.priorScore, s.features),
  ).sort();
  return { ...partial, combined, noveltySorted };
}

/** A sale's features as the forest reads them: the profile's features in order, a missing one as its median. */
function forestRow(
  features: NoveltyProfile["features"],
  medians: readonly number[],
  values: ArrayLike<number>,
): number[] {
  return features.map((f, k) => Number.isNaN(values[f.index]) ? medians[k] : values[f.index]);
}

/** The window's isolation forest (Liu et al.'s defaults: 100 trees of 256 sales), seeded by the window's size. */
function windowForest(
  features: NoveltyProfile["features"],
  window: readonly { features: ArrayLike<number> }[],
): NonNullable<NoveltyProfile["forest"]> {
  const medians = features.map((f) => f.sorted.length === 0 ? 0 : f.sorted[Math.floor(f.sorted.length / 2)]);
  const rows = window.map((s) => forestRow(features, medians, s.features));
  return { model: trainIsolationForest(rows, { seed: window.length }), medians };
}

/**
 * The prior score at an upper tail share of the window's prior scores: the score that as large a share of the
 * window reached (linear between ranks; 1 / (n + 1) gives the window's highest score).
 */
export function priorScoreAtTail(priorScores: Float64Array, tail: number): number {
  const n = priorScores.length;
  const fromTop = Math.min(n - 1, Math.max(0, tail * (n + 1) - 1)); // 0 = the highest
  const at = n - 1 - fromTop;
  const below = Math.floor(at), above = Math.ceil(at);
  const value = priorScores[below] + (priorScores[above] - priorScores[below]) * (at - below);
  return Math.round(10 * value) / 10;
}

/** A sale's score on the prior's scale, from its prior score and features, read against a profile. */
export function noveltyAdjustedScore(
  profile: NoveltyProfile & { noveltySorted: Float64Array },
  priorScore: number,
  features: ArrayLike<number>,
): number {
  const statistic = combinedStatistic(profile, profile.noveltySorted, priorScore, features);
  return priorScoreAtTail(profile.priorScores, tailShare(profile.combined, statistic, 1));
}

/** A profile as built for a day: with the window's novelties sorted, to read a sale's tail share. */
export type BuiltNoveltyProfile = NonNullable<ReturnType<typeof noveltyProfileOf>>;

/**
 * The profile in force for each sale of a time-ordered replay: for a sale on day D, the profile of the sales
 * in [D - windowDays, D) (one object per day), or null while the window holds too few sales. A later sale
 * never changes an earlier profile. Built once a day, as a job would store it.
 */
export function noveltyProfilesInForce(
  sales: readonly { atMs: number; priorScore: number; features: ArrayLike<number> }[],
  options: NoveltyOptions,
): (BuiltNoveltyProfile | null)[] {
  const out: (BuiltNoveltyProfile | null)[] = [];
  let day = NaN;
  let profile: BuiltNoveltyProfile | null = null;
  let from = 0, upTo = 0;
  for (const sale of sales) {
    const d = dayStartMs(sale.atMs);
    if (d !== day) {
      day = d;
      while (upTo < sales.length && sales[upTo].atMs < d) upTo++;
      while (from < upTo && sales[from].atMs < d - options.windowDays * DAY_MS) from++;
      profile = noveltyProfileOf(sales.slice(from, upTo), options);
    }
    out.push(profile);
  }
  return out;
}

/** The adjusted score of each sale of a time-ordered replay (`noveltyProfilesInForce`; the prior's own without a profile). */
export function noveltyScoresInForce(
  sales: readonly { atMs: number; priorScore: number; features: ArrayLike<number> }[],
  options: NoveltyOptions,
): number[] {
  const profiles = noveltyProfilesInForce(sales, options);
  return sales.map((sale, i) => {
    const profile = profiles[i];
    return profile ? noveltyAdjustedScore(profile, sale.priorScore, sale.features) : sale.priorScore;
  });
}

/**
 * The measuring commands' `--novelty=` value: off (null), a combination (session 9: every feature its own
 * tail), or a combination followed by `-grouped` (session 10: one tail per group of `NOVELTY_GROUPS`); window
 * 90 days, 200 sales.
 */
export function parseNoveltyOption(
  text: string | undefined,
  directions: NoveltyOptions["directions"],
): NoveltyOptions | null {
  if (text === undefined || text === "off") return null;
  const combination = text.replace(/-grouped$/, "");
  if (![...NOVELTY_COMBINATIONS, "alone"].includes(combination)) {
    const values = [...NOVELTY_COMBINATIONS, "alone"];
    throw new Error(
      `--novelty: "${text}" is not one of off, ${values.join(", ")}, ${
        values.map((v) => `${v}-grouped`).join(", ")
      }`,
    );
  }
  return {
    combination: combination as NoveltyCombination,
    windowDays: 90,
    minSales: 200,
    directions,
    ...(combination === text ? {} : { groups: Object.values(NOVELTY_GROUPS) }),
  };
}
