import assert from "node:assert/strict";
import { FEATURE_NAMES, type FeatureName } from "./feature_names.ts";
import { PRIOR_MONOTONE } from "./prior_directions.ts";
import {
  combineTails,
  NOVELTY_GROUPS,
  noveltyAdjustedScore,
  noveltyOf,
  type NoveltyOptions,
  noveltyProfileOf,
  noveltyScoresInForce,
  parseNoveltyOption,
  priorScoreAtTail,
  tailShare,
} from "./novelty.ts";

const DAY = 86_400_000;
const DEVICE = FEATURE_NAMES.indexOf("device_accounts");
const AGE = FEATURE_NAMES.indexOf("account_age_minutes");
const DIRECTIONS: NoveltyOptions["directions"] = { device_accounts: 1, account_age_minutes: -1 };
const OPTIONS: NoveltyOptions = {
  combination: "fisher",
  windowDays: 30,
  minSales: 50,
  directions: DIRECTIONS,
};

function features(deviceAccounts: number, ageMinutes: number): Float64Array {
  const f = new Float64Array(FEATURE_NAMES.length).fill(NaN);
  f[DEVICE] = deviceAccounts;
  f[AGE] = ageMinutes;
  return f;
}

/** A shop whose honest customers are mostly brand new (age 5 minutes) on devices of their own. */
function shopDay(dayIndex: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    atMs: dayIndex * DAY + i * 60_000,
    priorScore: 10 + (i % 30),
    features: features(i % 25 === 0 ? 1 : 0, i % 4 === 0 ? 100_000 : 5),
  }));
}

Deno.test("tailShare() counts the share at least as far out in the risky direction, plus one each side", () => {
  const sorted = Float64Array.of(0, 0, 0, 1, 5);
  assert.equal(tailShare(sorted, 0, 1), 6 / 6); // the most common value is no news
  assert.equal(tailShare(sorted, 5, 1), 2 / 6);
  assert.equal(tailShare(sorted, 9, 1), 1 / 6); // beyond every past value: 1 / (n + 1), never 0
  assert.equal(tailShare(sorted, 0, -1), 4 / 6); // lower is riskier: 0 or less
  assert.equal(tailShare(sorted, -1, -1), 1 / 6);
  assert.equal(tailShare(new Float64Array(0), 3, 1), 1);
});

Deno.test("noveltyOf() adds -ln(tail) over known features and skips missing ones", () => {
  const profile = noveltyProfileOf(shopDay(0, 100), OPTIONS)!;
  const common = noveltyOf(profile, features(0, 5));
  const sharedDevice = noveltyOf(profile, features(4, 5));
  assert.ok(common < 0.4, `common ${common}`);
  assert.ok(sharedDevice > common + 3, `shared device ${sharedDevice}`);
  const missing = features(4, 5);
  missing[DEVICE] = NaN;
  assert.equal(noveltyOf(profile, missing), common);
});

Deno.test("combineTails(): rarer on either side is riskier, for each combination", () => {
  for (const combination of ["fisher", "rank", "max"] as const) {
    assert.ok(combineTails(0.01, 0.5, combination) > combineTails(0.5, 0.5, combination), combination);
    assert.ok(combineTails(0.5, 0.01, combination) > combineTails(0.5, 0.5, combination), combination);
  }
  assert.equal(combineTails(0.1, 0.1, "fisher"), -2 * Math.log(0.1));
  assert.equal(combineTails(0.2, 0.6, "rank"), 0.6);
  assert.equal(combineTails(0.2, 0.6, "max"), -Math.log(0.2));
  assert.equal(combineTails(0.2, 0.6, "alone"), -Math.log(0.6));
});

Deno.test("priorScoreAtTail() reads the window's prior score at a tail share", () => {
  const scores = Float64Array.from({ length: 99 }, (_, i) => i + 1); // 1..99
  assert.equal(priorScoreAtTail(scores, 1 / 100), 99); // the rarest: the window's highest
  assert.equal(priorScoreAtTail(scores, 1), 1);
  assert.equal(priorScoreAtTail(scores, 0.5), 50);
});

Deno.test("noveltyAdjustedScore(): a sale common in this shop drops below one that is rare here, at the same prior score", () => {
  const profile = noveltyProfileOf(shopDay(0, 300), OPTIONS)!;
  // The prior thinks a 5-minute-old account is risky (score 39, the window's highest); here it is common.
  const commonNewcomer = noveltyAdjustedScore(profile, 39, features(0, 5));
  const sharedDevice = noveltyAdjustedScore(profile, 39, features(6, 5));
  assert.ok(sharedDevice > commonNewcomer, `${sharedDevice} vs ${commonNewcomer}`);
  assert.ok(sharedDevice >= 38, `rare on both sides stays at the top: ${sharedDevice}`);
  // On the prior's scale: never outside the window's own scores.
  assert.ok(commonNewcomer >= 10 && commonNewcomer <= 39);
});

Deno.test("noveltyScoresInForce(): the prior stands until the window holds enough sales", () => {
  const sales = [...shopDay(0, 40), ...shopDay(1, 40)];
  const scores = noveltyScoresInForce(sales, OPTIONS);
  assert.deepEqual(scores, sales.map((s) => s.priorScore));
});

Deno.test("noveltyScoresInForce(): no look-ahead, later sales never move an earlier score", () => {
  const sales = [0, 1, 2, 3, 4].flatMap((d) => shopDay(d, 60));
  const before = noveltyScoresInForce(sales, OPTIONS);
  // From day 3 on, every sale comes from a device shared by 8 accounts: rare before, common after.
  const cut = sales.findIndex((s) => s.atMs >= 3 * DAY);
  const changed = sales.map((s, i) => i < cut ? s : { ...s, features: features(8, 5) });
  const after = noveltyScoresInForce(changed, OPTIONS);
  assert.deepEqual(after.slice(0, cut), before.slice(0, cut));
  assert.deepEqual(noveltyScoresInForce(sales.slice(0, cut), OPTIONS), before.slice(0, cut));
  // The same change a day earlier moves day 3's scores (the check can fail): day 3 now reads a window in
  // which shared devices are common.
  const earlier = sales.findIndex((s) => s.atMs >= 2 * DAY);
  const moved = noveltyScoresInForce(
    sales.map((s, i) => i < earlier ? s : { ...s, features: features(8, 5) }),
    OPTIONS,
  );
  assert.notDeepEqual(moved.slice(cut, cut + 60), after.slice(cut, cut + 60));
  // and a sale's own day never counts: the first day-3 sale is read against days 0-2 only
  const firstOfDay = noveltyScoresInForce(changed.slice(0, cut + 1), OPTIONS).at(-1);
  assert.equal(firstOfDay, after[cut]);
});

Deno.test("noveltyScoresInForce(): sales older than the window do not count", () => {
  const options = { ...OPTIONS, windowDays: 2 };
  const sales = [0, 1, 2, 3].flatMap((d) => shopDay(d, 60));
  const day3 = sales.findIndex((s) => s.atMs >= 3 * DAY);
  const base = noveltyScoresInForce(sales, options);
  const changedOn = (day: number) =>
    sales.map((s) => Math.floor(s.atMs / DAY) === day ? { ...s, features: features(8, 5) } : s);
  assert.deepEqual(noveltyScoresInForce(changedOn(0), options).slice(day3), base.slice(day3));
  // day 1 is inside day 3's window: the same change there moves its scores
  assert.notDeepEqual(noveltyScoresInForce(changedOn(1), options).slice(day3), base.slice(day3));
});

Deno.test("parseNoveltyOption() takes off or a combination and refuses others", () => {
  assert.equal(parseNoveltyOption(undefined, DIRECTIONS), null);
  assert.equal(parseNoveltyOption("off", DIRECTIONS), null);
  assert.equal(parseNoveltyOption("rank", DIRECTIONS)?.combination, "rank");
  assert.equal(parseNoveltyOption("rank", DIRECTIONS)?.windowDays, 90);
  assert.throws(() => parseNoveltyOption("median", DIRECTIONS), /not one of/);
  assert.equal(parseNoveltyOption("rank", DIRECTIONS)?.groups, undefined);
  // session 10: COMBINATION-grouped reads one tail per group of NOVELTY_GROUPS
  const grouped = parseNoveltyOption("fisher-grouped", DIRECTIONS);
  assert.equal(grouped?.combination, "fisher");
  assert.deepEqual(grouped?.groups, Object.values(NOVELTY_GROUPS));
  assert.throws(() => parseNoveltyOption("median-grouped", DIRECTIONS), /not one of/);
  assert.throws(() => parseNoveltyOption("grouped", DIRECTIONS), /not one of/);
});

Deno.test("NOVELTY_GROUPS: every directional feature of the prior in exactly one group", () => {
  const members = Object.values(NOVELTY_GROUPS).flat();
  assert.deepEqual([...members].sort(), Object.keys(PRIOR_MONOTONE).sort());
  assert.equal(new Set(members).size, members.length);
});

/** Three "large order" features and one device feature: a shop of ordinary baskets on devices of their own. */
const SIZE: FeatureName[] = ["amount_vs_own_median", "amount_vs_category_norm", "max_quantity"];
const GROUP_DIRECTIONS: NoveltyOptions["directions"] = {
  amount_vs_own_median: 1,
  amount_vs_category_norm: 1,
  max_quantity: 1,
  device_accounts: 1,
};
function sizedSale(size: number, deviceAccounts: number): Float64Array {
  const f = new Float64Array(FEATURE_NAMES.length).fill(NaN);
  for (const name of SIZE) f[FEATURE_NAMES.indexOf(name)] = size;
  f[DEVICE] = deviceAccounts;
  return f;
}
const sizedWindow = Array.from({ length: 199 }, (_, i) => ({
  priorScore: 10 + (i % 30),
  features: sizedSale(1 + (i % 10) / 10, i % 20 === 0 ? 1 : 0),
}));

Deno.test("noveltyOf() with groups: one idea counts once, two ideas add up", () => {
  const options = { combination: "fisher", minSales: 50, directions: GROUP_DIRECTIONS } as const;
  const plain = noveltyProfileOf(sizedWindow, options)!;
  const grouped = noveltyProfileOf(sizedWindow, {
    ...options,
    groups: [SIZE, ["device_accounts"]],
  })!;
  const bigBasket = sizedSale(9, 0); // beyond every past basket on all three size features
  const beyond = -Math.log(1 / 200);
  const commonDevice = -Math.log(tailShare(grouped.features.at(-1)!.sorted, 0, 1));
  // session 9's sum counts the big basket three times; grouped, once
  assert.ok(Math.abs(noveltyOf(plain, bigBasket) - (3 * beyond + commonDevice)) < 1e-9);
  assert.ok(Math.abs(noveltyOf(grouped, bigBasket) - (beyond + commonDevice)) < 1e-9);
  // rare on two ideas (a big basket on a device shared by 5) ranks above rare on one idea three times over,
  // which session 9's sum ranked the other way round
  const mediumBasketShared = sizedSale(1.9, 5); // in the top tenth of baskets
  assert.ok(noveltyOf(grouped, mediumBasketShared) > noveltyOf(grouped, bigBasket));
  assert.ok(noveltyOf(plain, mediumBasketShared) < noveltyOf(plain, bigBasket));
  // the group's tail is its rarest known feature; a missing one adds nothing
  const oneFar = sizedSale(1, 0);
  oneFar[FEATURE_NAMES.indexOf("max_quantity")] = 9;
  oneFar[FEATURE_NAMES.indexOf("amount_vs_own_median")] = NaN;
  assert.ok(Math.abs(noveltyOf(grouped, oneFar) - (beyond + commonDevice)) < 1e-9);
});

Deno.test("noveltyOf() with the forest detector: a shared device is more novel than the shop's usual sale", () => {
  const profile = noveltyProfileOf(shopDay(0, 300), { ...OPTIONS, detector: "forest" })!;
  assert.ok(profile.forest, "the profile carries its forest");
  const usual = noveltyOf(profile, features(0, 5));
  const shared = noveltyOf(profile, features(9, 5));
  assert.ok(shared > usual, `${shared} vs ${usual}`);
  // a missing feature reads as the window's median, not as a rare value
  const missing = features(0, 5);
  missing[DEVICE] = NaN;
  assert.equal(noveltyOf(profile, missing), usual);
});
