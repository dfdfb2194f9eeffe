import assert from "node:assert/strict";
import {
  CONFIRMED_DEVICE_WINDOW_MS,
  confirmedDeviceCounts,
  confirmedDeviceMessage,
  ConfirmedFraudDevices,
  replayConfirmedDevices,
  wilsonLowerBound,
} from "./confirmed_device.ts";
import { combineScores, LINK_RULE_SCORE } from "./combine.ts";
import { DEFAULT_FRAUD_RULES } from "../rules.ts";
import type { FraudScore } from "../types.ts";
import { scoreSale } from "./score_sale.ts";
import { loadPriorModel } from "./prior.ts";
import { scoreTransaction } from "../score.ts";
import { FEATURE_NAMES } from "./feature_names.ts";
import { DAY_MS } from "./operating_point.ts";

const thresholds = DEFAULT_FRAUD_RULES.thresholds;
const quiet: FraudScore = { score: 0, decision: "allow", reasons: [] };

Deno.test("the rule counts only with its precision at 0.7 or more at 95% confidence", () => {
  assert.equal(wilsonLowerBound(0, 0), 0);
  assert.ok(Math.abs(wilsonLowerBound(50, 100) - 0.4038) < 1e-3, String(wilsonLowerBound(50, 100)));
  assert.equal(confirmedDeviceCounts({ firings: 9, fraud: 9 }), true, "9 of 9 is the least that counts");
  assert.equal(confirmedDeviceCounts({ firings: 8, fraud: 8 }), false);
  assert.equal(confirmedDeviceCounts({ firings: 0, fraud: 0 }), false);
  // right 7 times in 10 is not enough to trust it stays so; a long record at 80% is
  assert.equal(confirmedDeviceCounts({ firings: 977, fraud: 683 }), false);
  assert.equal(confirmedDeviceCounts({ firings: 200, fraud: 160 }), true);
});

Deno.test("a device links only to fraud confirmed before the sale, within the window", () => {
  const devices = new ConfirmedFraudDevices();
  const t = Date.UTC(2026, 0, 10);
  devices.confirm("phone-1", t, "TM-1002");
  devices.confirm("phone-1", t - 5 * DAY_MS, "TM-1001"); // an older one does not move the latest back
  assert.equal(devices.size, 1);
  assert.equal(devices.fires("phone-1", t), false, "not the confirmed sale's own moment");
  assert.equal(devices.fires("phone-1", t + 1), true);
  assert.deepEqual(devices.linked("phone-1", t + 1), { atMs: t, orderRef: "TM-1002" });
  assert.equal(devices.fires("phone-1", t + CONFIRMED_DEVICE_WINDOW_MS), true);
  assert.equal(devices.fires("phone-1", t + CONFIRMED_DEVICE_WINDOW_MS + 1), false, "out of the window");
  assert.equal(devices.fires("phone-2", t + 1), false);
  assert.equal(devices.fires(undefined, t + 1), false);
  assert.equal(devices.fires("phone-1", t - DAY_MS), false, "a label from the future does not count");
});

Deno.test("the replay's record: each labeled sale against the labels before it, in time order", () => {
  const t = Date.UTC(2026, 0, 1);
  const { devices, record } = replayConfirmedDevices([
    { atMs: t, device: "ring", label: true }, // confirms the device; fires on nothing before it
    { atMs: t + DAY_MS, device: "ring", label: true }, // fires: fraud
    { atMs: t + 2 * DAY_MS, device: "ring" }, // fires, no label: not in the record
    { atMs: t + 3 * DAY_MS, device: "ring", label: false }, // fires: legitimate
    { atMs: t + 4 * DAY_MS, device: "other", label: true },
    { atMs: t + 4 * DAY_MS, device: "other", label: true }, // the same instant: does not see the first
    { atMs: t + 5 * DAY_MS, label: true }, // no device
  ]);
  assert.deepEqual(record, { firings: 2, fraud: 1 });
  assert.equal(devices.size, 2);
  assert.equal(devices.fires("other", t + 5 * DAY_MS), true);
});

Deno.test("a counted device of confirmed fraud sends a sale to review whichever model scores it, never blocks", () => {
  for (const kind of ["shop", "prior"] as const) {
    assert.equal(combineScores(quiet, 12, kind, thresholds, undefined, [], true), LINK_RULE_SCORE);
    assert.equal(combineScores(quiet, 12, kind, thresholds, undefined, [], false), 12);
    assert.equal(combineScores(quiet, 93, kind, thresholds, undefined, [], true), 93, "a higher model stays");
    assert.ok(LINK_RULE_SCORE < thresholds.block && LINK_RULE_SCORE >= thresholds.review);
  }
  const blockListed: FraudScore = {
    score: 100,
    decision: "block",
    reasons: [{ code: "block_list", message: "on the block list", contribution: 100 }],
  };
  assert.equal(combineScores(blockListed, 3, "shop", thresholds, undefined, [], true), 100);
});

Deno.test("the reason names the confirmed sale when it is known", () => {
  assert.equal(confirmedDeviceMessage(), "This device was used on a sale your team confirmed as fraud");
  assert.equal(
    confirmedDeviceMessage("TM-7"),
    "This device was used on TM-7, a sale your team confirmed as fraud",
  );
});

Deno.test("the sale's reasons say so when the device of a confirmed fraud set the score", async () => {
  const prior = await loadPriorModel();
  // 03:00 in the default rules' zone (New York): the "unusual hour" rule fires; with the shop's model it does not count
  const now = new Date(Date.UTC(2026, 5, 1, 7));
  const tx = {
    customerId: 7,
    customerCreatedAt: new Date(now.getTime() - 400 * DAY_MS),
    createdAt: now,
    items: [{ productId: "1", category: "accessories", unitPriceCents: 1_999, quantity: 1 }],
    totalCents: 1_999,
    paymentMethod: "card",
  };
  const history = { transactions: [], productQuantityStats: {}, blockListed: false, allowListed: false };
  const input = (confirmedDevice?: { atMs: number; orderRef?: string }) => ({
    model: prior,
    kind: "shop" as const,
    identity: { deviceId: "ring" },
    stats: { categoryNormCents: {} },
    confirmedDevice,
  });
  const plain = scoreSale(tx, history, DEFAULT_FRAUD_RULES, now, input());
  assert.ok(plain.score < LINK_RULE_SCORE, String(plain.score));
  assert.equal(plain.reasons.some((r) => r.code === "confirmed_fraud_device"), false);
  const linked = scoreSale(
    tx,
    history,
    DEFAULT_FRAUD_RULES,
    now,
    input({ atMs: now.getTime() - DAY_MS, orderRef: "TM-104612" }),
  );
  assert.equal(linked.score, LINK_RULE_SCORE);
  assert.equal(linked.decision, "review");
  assert.ok(
    scoreTransaction(tx, history, DEFAULT_FRAUD_RULES, now).reasons.some((r) => r.code === "unusual_hour"),
    "the rules see the hour",
  );
  const counted = new Set<string>(["confirmed_fraud_device", ...FEATURE_NAMES]);
  assert.deepEqual(linked.reasons.filter((r) => !counted.has(r.code)), [], "only what counted is a reason");
  const reason = linked.reasons.find((r) => r.code === "confirmed_fraud_device");
  assert.deepEqual(reason, {
    code: "confirmed_fraud_device",
    message: "This device was used on TM-104612, a sale your team confirmed as fraud",
    contribution: 75,
  });
});
