import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { sayInTen, sayPerDay } from "../components/plain_rates.ts";
import { countOf, formatCount, formatDateTime, formatPercent } from "../server/shared/format.ts";
import { ChartCanvas, type ChartSpec } from "./_chart.tsx";
import { CeilingSetting } from "./_ceiling_setting.tsx";
import { useReloadingAction } from "./_action.ts";
import type { ModelInForce } from "../server/fraud/model/in_force.ts";
import { LINK_PRECISION_AIM } from "../server/fraud/model/combine.ts";
import { SURE_PRIOR_SCORE } from "../server/fraud/model/operating_point.ts";
import type { CeilingProposal } from "../server/fraud/model/label_ceiling.ts";

/** The model scoring sales now (the server's summary; plain JSON, so it passes as island props). */
export type InForce = ModelInForce;

/** A stored version as the router lists it (Dates intact). */
export type VersionRow = RouterOutputs["fraud"]["models"]["list"]["versions"][number];

/** "Device of confirmed fraud" in this shop, as the router lists it. */
export type ConfirmedDevices = RouterOutputs["fraud"]["models"]["list"]["confirmedDevices"];

export interface FraudModelPanelProps {
  inForce: InForce;
  confirmedDevices: ConfirmedDevices;
  versions: VersionRow[];
  labelsSinceTraining: number;
  /** The rules' review threshold (0-100): where the curve starts the analyst's pick. */
  reviewThreshold: number;
  /** The shop's cold-start review ceiling (a share of sales; `fraud_settings`), and who last set it. */
  coldStartMaxReviewRate: number;
  ceilingSetBy: string | null;
  /** The ceiling follows the shop's fraud labels each day (their proposal, while there is one). */
  followLabels: boolean;
  /** The ceiling the shop's own fraud labels suggest (null while fewer than 10 sales are confirmed fraud). */
  ceilingProposal: CeilingProposal | null;
  isAdmin: boolean;
  timeZone: string;
}

/** Words for the feature names of server/fraud/model/features.ts. */
const FEATURE_WORDS: Record<string, string> = {
  account_age_minutes: "Account age",
  first_purchase: "First purchase",
  customer_orders_1h: "Customer's orders in the last hour",
  customer_orders_24h: "Customer's orders in the last day",
  amount_vs_own_median: "Amount against the customer's usual",
  amount_vs_category_norm: "Amount against the category's usual",
  max_quantity: "Largest quantity",
  high_resale_units: "High-resale units",
  device_accounts: "Other accounts on the device",
  device_orders_1h: "Orders from the device in the last hour",
  ip_accounts: "Other accounts on the IP address",
  ip_orders_1h: "Orders from the IP address in the last hour",
  email_accounts: "Other accounts with the email",
  card_accounts: "Other accounts on the card",
  seconds_since_device_or_ip_seen: "Time since the device or IP was seen",
  country_mismatch: "Billing and shipping countries differ",
  disposable_email: "Throw-away email",
  new_email_domain: "Email domain never seen",
  declines_24h: "Customer's declines in a day",
  linked_declines_24h: "Declines on the device, IP or card in a day",
  payment_methods_30d: "Payment methods in 30 days",
  new_payment_method: "New payment method",
  customer_spend_24h_cents: "Customer's spending in the last day",
  amount_cents: "Order amount",
  local_hour: "Hour of day in the shop's time zone",
  amount_shop_percentile: "Amount against the shop's other sales",
};

/**
 * The learned model on the Fraud page: which model scores (version, when, on how many labels, its backtest),
 * the precision-recall curve with the review load per day at each threshold, the features it leans on, new
 * labels since the last training, and for admins "Train now" and activation of a version.
 */
export default function FraudModelPanel(props: FraudModelPanelProps) {
  const [state, setState] = useState({
    inForce: props.inForce,
    versions: props.versions,
    labelsSinceTraining: props.labelsSinceTraining,
  });
  const [ceiling, setCeiling] = useState({
    rate: props.coldStartMaxReviewRate,
    by: props.ceilingSetBy,
    follow: props.followLabels,
  });
  // what the admin types, in percent (one decimal)
  const [ceilingInput, setCeilingInput] = useState(
    String(Math.round(1000 * props.coldStartMaxReviewRate) / 10),
  );
  const nearest = (score: number) =>
    state.inForce.curve.reduce(
      (best, p) => Math.abs(p.score - score) < Math.abs(best.score - score) ? p : best,
      state.inForce.curve[0],
    );
  const [threshold, setThreshold] = useState(props.reviewThreshold);
  const { busy, message, run } = useReloadingAction(async () => {
    const fresh = await browserClient().fraud.models.list.query();
    setState({
      inForce: fresh.inForce,
      versions: fresh.versions,
      labelsSinceTraining: fresh.labelsSinceTraining,
    });
  });
  const { inForce, versions } = state;
  const point = inForce.curve.length > 0 ? nearest(threshold) : undefined;

  const spec: ChartSpec = {
    type: "scatter",
    data: {
      datasets: [{
        label: "Precision against recall",
        data: inForce.curve.map((p) => ({ x: p.recall, y: p.precision })),
        showLine: true,
        borderColor: "var(--chart-1)",
        backgroundColor: "var(--chart-1)",
      }],
    },
    options: {
      scales: {
        x: { min: 0, max: 1, title: { display: true, text: "Recall (share of fraud flagged)" } },
        y: { min: 0, max: 1, title: { display: true, text: "Precision (flagged that is fraud)" } },
      },
    },
  };

  return (
    <div class="fraud-model" data-testid="fraud-model">
      <Notice message={message} />
      <PlainSummary inForce={inForce} timeZone={props.timeZone} />
      <details class="fraud-model-figures" data-testid="fraud-model-figures">
        <summary>Figures for analysts</summary>
        <p data-testid="fraud-model-summary">
          {inForce.version === null
            ? (
              <>
                Scoring with the <strong>shipped prior</strong> (no shop model active), trained
              </>
            )
            : (
              <>
                Scoring with <strong>model version {inForce.version}</strong>, trained
              </>
            )} {formatDateTime(inForce.trainedAt, props.timeZone)} on {formatCount(inForce.rows)}{" "}
          labeled sales (
          {formatCount(inForce.fraud)} fraud; {inForce.source}). Backtest on the last{" "}
          {formatCount(inForce.validationRows)} by time: precision{" "}
          {formatPercent(inForce.validation.precision)}, recall {formatPercent(inForce.validation.recall)}, F1
          {" "}
          {inForce.validation.f1.toFixed(2)}.
        </p>
        {inForce.version === null && (
          <p data-testid="fraud-operating-point">
            {inForce.operatingPoint
              ? (
                <>
                  Operating point for this shop (from its own {formatCount(inForce.operatingPoint.sales)}{" "}
                  sales of the last {formatCount(inForce.operatingPoint.days)}{" "}
                  days, no labels, computed with a review limit of{" "}
                  {formatPercent(inForce.operatingPoint.maxReviewRate)}): a sale goes to review when the prior
                  scores it{" "}
                  <strong>
                    {Math.max(props.reviewThreshold, inForce.operatingPoint.priorThreshold).toFixed(1)}
                  </strong>{" "}
                  or more (shared threshold 50; the rules review at {props.reviewThreshold}). Review load:
                  {" "}
                  <strong>{formatPercent(inForce.operatingPoint.reviewRate)}</strong> of sales, about{" "}
                  {/* a tenth, not a whole: "about 0 per day" read as none next to 0.9% of sales */}
                  {formatCount(Math.round(10 * inForce.operatingPoint.reviewsPerDay) / 10)}{" "}
                  per day on this shop's sales (at 50:{" "}
                  {formatPercent(inForce.operatingPoint.sharedReviewRate)}). A sale the prior scores{" "}
                  {SURE_PRIOR_SCORE} or more goes to review even beyond the limit.
                </>
              )
              : (
                <>
                  Operating point: the shared threshold (the prior's score 50) until the prior has scored
                  enough of this shop's sales on earlier days; then the threshold is raised so that at most a
                  plausible fraud rate of sales goes to review, apart from sales the prior scores{" "}
                  {SURE_PRIOR_SCORE} or more.
                </>
              )}
          </p>
        )}
        {inForce.version === null && inForce.operatingPoint && inForce.operatingPoint.linkRules.length > 0 &&
          <LinkRulesInShop point={inForce.operatingPoint} />}
        <ConfirmedDevicesInShop confirmed={props.confirmedDevices} />
        {inForce.version === null && (
          <CeilingSetting
            rate={ceiling.rate}
            setBy={ceiling.by}
            followLabels={ceiling.follow}
            isAdmin={props.isAdmin}
            busy={busy}
            input={ceilingInput}
            onInput={setCeilingInput}
            proposal={props.ceilingProposal}
            onSave={(change) => {
              const share = change.rate ?? Math.round(10 * Number(ceilingInput)) / 1000;
              const following = change.followLabels === true;
              run(
                async () => {
                  const saved = await browserClient().fraud.settings.set.mutate(
                    following ? { followLabels: true } : { coldStartMaxReviewRate: share },
                  );
                  setCeiling({
                    rate: saved.coldStartMaxReviewRate,
                    by: saved.updatedBy,
                    follow: saved.followLabels,
                  });
                  setCeilingInput(String(Math.round(1000 * saved.coldStartMaxReviewRate) / 10));
                },
                following
                  ? "The review limit now follows your team's fraud labels each day"
                  : `Until the shop's own model takes over, at most ${
                    formatPercent(share)
                  } of sales now go to review`,
              );
            }}
          />
        )}
        <p data-testid="fraud-new-labels">
          {formatCount(state.labelsSinceTraining)} sales labeled since the last training.
        </p>

        {point && (
          <>
            <ChartCanvas
              spec={spec}
              label="Precision against recall of the model's backtest"
              format="number"
            />
            <label class="threshold-pick">
              Review threshold to consider{" "}
              <input
                type="range"
                min={5}
                max={95}
                step={5}
                value={threshold}
                aria-label="Review threshold"
                onInput={(e) => setThreshold(Number((e.currentTarget as HTMLInputElement).value))}
              />{" "}
              <output data-testid="threshold-figures">
                at {point.score}: precision {formatPercent(point.precision)}, recall{" "}
                {formatPercent(point.recall)}, about {formatCount(point.flaggedPerDay)}{" "}
                sales to review per day in the backtest
              </output>
            </label>
            <p class="muted">
              The rules review at{" "}
              {props.reviewThreshold}; change it in the rules below. Load per day is measured on the backtest
              period.
            </p>
            <details>
              <summary>Every threshold</summary>
              <table class="data-table" data-testid="fraud-threshold-table">
                <thead>
                  <tr>
                    <th scope="col">Score at least</th>
                    <th scope="col">Precision</th>
                    <th scope="col">Recall</th>
                    <th scope="col">To review per day</th>
                  </tr>
                </thead>
                <tbody>
                  {inForce.curve.map((p) => (
                    <tr key={p.score}>
                      <td>{p.score}</td>
                      <td>{formatPercent(p.precision)}</td>
                      <td>{formatPercent(p.recall)}</td>
                      <td>{formatCount(p.flaggedPerDay)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </details>

      <h3>What the model looks at most</h3>
      {/* the share is an analyst's figure (how often the trees split on it): a tooltip, not the list's words */}
      <ol data-testid="fraud-top-features">
        {inForce.topFeatures.map((f) => (
          <li key={f.feature} title={`In ${formatPercent(f.share)} of the model's decision points`}>
            {FEATURE_WORDS[f.feature] ?? f.feature}
          </li>
        ))}
      </ol>

      {props.isAdmin && (
        <>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(() => browserClient().fraud.models.train.mutate(), "Trained a new candidate version")}
          >
            Train now
          </button>
          {versions.length > 0 && (
            <table class="data-table" data-testid="fraud-model-versions">
              <caption>Trained versions</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Labels (fraud)</th>
                  <th scope="col">Backtest P / R</th>
                  <th scope="col">Trained</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{v.status}</td>
                    <td>{formatCount(v.labeledRows)} ({formatCount(v.labeledFraud)})</td>
                    <td>{formatPercent(v.metrics.precision)} / {formatPercent(v.metrics.recall)}</td>
                    <td>{formatDateTime(v.createdAt, props.timeZone)}</td>
                    <td>
                      {v.status !== "active" && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            run(
                              () => browserClient().fraud.models.activate.mutate({ version: v.version }),
                              `Model version ${v.version} is in force`,
                            )}
                        >
                          Activate {v.version}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}

/**
 * The model in a shop's words, above the analysts' figures: what scores the sales, how often a sale it sends
 * to review is fraud, how much of the fraud it catches, and how many sales a day that makes to look at.
 */
function PlainSummary(props: { inForce: InForce; timeZone: string }) {
  const { inForce } = props;
  const point = inForce.operatingPoint;
  return (
    <div class="fraud-model-plain" data-testid="fraud-model-plain">
      <p>
        {inForce.version === null
          ? (
            <>
              Every sale gets a fraud score from 0 to 100. Until this shop has marked enough of its own sales
              as fraud or genuine, the score comes from a ready-made model, learned from example shops' sales.
            </>
          )
          : (
            <>
              Every sale gets a fraud score from 0 to 100, from a model learned on {formatCount(inForce.rows)}
              {" "}
              of this shop's sales that staff marked as fraud or genuine (
              {formatDateTime(inForce.trainedAt, props.timeZone)}).
            </>
          )}
      </p>
      <p>
        Of the sales it sends to review, {sayInTen(inForce.validation.precision)}{" "}
        turn out to be fraud, and of the fraudulent sales it catches {sayInTen(inForce.validation.recall)}
        {inForce.version === null
          ? " (measured on the example shops' sales)"
          : " (measured on recent sales it had not seen)"}.
        {point && <>{" "}On this shop's sales that makes {sayPerDay(point.reviewsPerDay)} to look at.</>}
      </p>
    </div>
  );
}

/**
 * Whether a sale from a device of confirmed fraud goes to review in this shop, and why: the rule's record on
 * the shop's own labeled sales (`confirmed_device.ts`).
 */
function ConfirmedDevicesInShop({ confirmed }: { confirmed: ConfirmedDevices }) {
  const record = `On this shop's labeled sales from such a device, ${formatCount(confirmed.fraud)} of ${
    formatCount(confirmed.firings)
  } were fraud`;
  return (
    <p data-testid="fraud-confirmed-devices">
      {confirmed.counts
        ? (
          <>
            A sale from a device your team confirmed as fraud ({countOf(confirmed.devices, "device")}{" "}
            in the last 180 days) goes to review at 75, whichever model scores it. {record}.
          </>
        )
        : confirmed.firings === 0
        ? (
          <>
            Sales from a device your team confirmed as fraud go to review once your labels show that such
            sales are fraud at least 7 times in 10 ({countOf(confirmed.devices, "device")}{" "}
            confirmed in the last 180 days, no later sale from them labeled yet).
          </>
        )
        : (
          <>
            <strong>Not counted in this shop:</strong> a device your team confirmed as fraud.{" "}
            {record}: not yet sure to be right 7 times in 10, so such sales are scored like any other.
          </>
        )}
    </p>
  );
}

/**
 * The link rules at cold start in this shop: a rule that fired on more of the shop's sales than its plausible
 * fraud can explain, on sales the model finds ordinary, is the shop's norm (a company card shared by
 * colleagues) and sends nothing to review.
 */
function LinkRulesInShop({ point }: { point: NonNullable<InForce["operatingPoint"]> }) {
  const most = point.maxReviewRate / LINK_PRECISION_AIM;
  const muted = point.linkRules.filter((rule) => !rule.counts);
  const words = (rule: { feature: string; share: number }) =>
    `${(FEATURE_WORDS[rule.feature] ?? rule.feature).toLowerCase()} (${formatPercent(rule.share)} of sales)`;
  return (
    <p data-testid="fraud-link-rules">
      {muted.length === 0
        ? (
          <>
            Link rules (a card or device shared between accounts, declines on linked cards, a purchase seconds
            after sign-up) send a sale to review at 75: each fired on at most{" "}
            {formatPercent(Math.max(...point.linkRules.map((rule) => rule.share)))}{" "}
            of this shop's sales, rare enough to be a fraud signal here.
          </>
        )
        : (
          <>
            <strong>Not counted in this shop:</strong>{" "}
            {muted.map(words).join("; ")}. A rule that fires on more than {formatPercent(most)}{" "}
            of sales cannot be right 7 times in 10 when at most {formatPercent(point.maxReviewRate)}{" "}
            are fraud, and the ready-made model finds those sales no riskier than the rest, so here it is how
            honest customers buy. The other link rules still send a sale to review at 75.
          </>
        )}
    </p>
  );
}
