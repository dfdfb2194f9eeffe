import type { FraudRules } from "./rules.ts";
import type {
  Finding,
  FraudDecision,
  FraudHistory,
  FraudReason,
  FraudScore,
  FraudTransaction,
} from "./types.ts";
import { REASON_CODES } from "./types.ts";
import type { CheckInput } from "./checks/_common.ts";
import { checkVelocityAmount, checkVelocityCount } from "./checks/velocity.ts";
import { checkAmountAboveHistory } from "./checks/amount_history.ts";
import { checkQuantityAboveUsual } from "./checks/quantity.ts";
import { checkNewCustomerHighValue } from "./checks/new_customer.ts";
import { checkHighResaleUnits } from "./checks/high_resale.ts";
import { checkNewPaymentMethod, checkPaymentMethods } from "./checks/payment_methods.ts";
import { checkDeclinedAttempts } from "./checks/declines.ts";
import { checkUnusualHour } from "./checks/unusual_hour.ts";
import { checkBlockList } from "./checks/block_list.ts";
import { checkRecentSuspicion } from "./checks/recent_suspicion.ts";

/** Every rule with the weight that scales it. */
const CHECKS: readonly {
  check: (input: CheckInput, rules: FraudRules) => Finding | null;
  weight: (rules: FraudRules) => number;
}[] = [
  { check: checkBlockList, weight: (r) => r.blockList.weight },
  { check: checkRecentSuspicion, weight: (r) => r.recentSuspicion.weight },
  { check: checkVelocityCount, weight: (r) => r.velocityCount.weight },
  { check: checkVelocityAmount, weight: (r) => r.velocityAmount.weight },
  { check: checkDeclinedAttempts, weight: (r) => r.declinedAttempts.weight },
  { check: checkPaymentMethods, weight: (r) => r.paymentMethods.weight },
  { check: checkNewPaymentMethod, weight: (r) => r.newPaymentMethod.weight },
  { check: checkAmountAboveHistory, weight: (r) => r.amountAboveHistory.weight },
  { check: checkQuantityAboveUsual, weight: (r) => r.quantityAboveUsual.weight },
  { check: checkNewCustomerHighValue, weight: (r) => r.newCustomerHighValue.weight },
  { check: checkHighResaleUnits, weight: (r) => r.highResaleUnits.weight },
  { check: checkUnusualHour, weight: (r) => r.unusualHour.weight },
];

// Keeps -ln(1 - p) finite when a rule (the block list) fires with weight 1.
const MAX_PROBABILITY = 1 - 1e-9;

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The decision a score earns under the rules' thresholds. */
export function decide(score: number, rules: FraudRules): FraudDecision {
  if (score >= rules.thresholds.block) return "block";
  if (score >= rules.thresholds.review) return "review";
  return "allow";
}

/**
 * Scores one transaction from 0 to 100 with the reasons behind it. Pure: everything it reads is passed in.
 *
 * Each rule that fires adds evidence p = weight x strength (strength 0.5 at the rule's edge, 1 when
 * blatant). Evidence combines as a noisy-OR, score = 100 x (1 - prod(1 - p)): independent signals
 * reinforce each other, no single soft rule can reach 100, adding a rule never lowers a score, and the
 * score never exceeds 100 however many rules fire (a capped sum would saturate and hide differences).
 * The score is split among the reasons in proportion to -ln(1 - p), the share each rule has of the
 * product, so contributions add up to the score (up to rounding).
 *
 * A customer on the allow list is never blocked automatically: the decision stops at `review`.
 *
 * @param tx the transaction about to be created
 * @param history the customer's recent transactions, product quantity statistics and list memberships
 * @param rules weights, thresholds and lists (see `fraudRulesSchema`)
 * @param now the moment of scoring; windows end here and only history before it counts
 */
export function scoreTransaction(
  tx: FraudTransaction,
  history: FraudHistory,
  rules: FraudRules,
  now: Date,
): FraudScore {
  const input: CheckInput = { tx, history, now };
  const fired: { finding: Finding; evidence: number }[] = [];
  for (const { check, weight } of CHECKS) {
    const w = weight(rules);
    if (w <= 0) continue;
    const finding = check(input, rules);
    if (finding && finding.strength > 0) {
      fired.push({ finding, evidence: Math.min(MAX_PROBABILITY, w * Math.min(1, finding.strength)) });
    }
  }
  const logs = fired.map(({ evidence }) => -Math.log1p(-evidence));
  const totalLog = logs.reduce((sum, value) => sum + value, 0);
  const exact = 100 * -Math.expm1(-totalLog);
  const score = round1(exact);
  const reasons: FraudReason[] = fired
    .map(({ finding }, i) => ({
      code: finding.code,
      message: finding.message,
      contribution: round1(totalLog > 0 ? exact * logs[i] / totalLog : 0),
    }))
    .sort((a, b) =>
      b.contribution - a.contribution || REASON_CODES.indexOf(a.code) - REASON_CODES.indexOf(b.code)
    );
  let decision = decide(score, rules);
  if (decision === "block" && history.allowListed) decision = "review";
  return { score, decision, reasons };
}
