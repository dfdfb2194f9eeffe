import type { CeilingProposal } from "../server/fraud/model/label_ceiling.ts";
import {
  MAX_REVIEW_CEILING,
  MIN_REVIEW_CEILING,
  SURE_PRIOR_SCORE,
} from "../server/fraud/model/operating_point.ts";
import { formatCount, formatPercent } from "../server/shared/format.ts";

/** What an admin changes: a ceiling of their own (which stops following the labels), or following them. */
export type CeilingChange = { rate?: number; followLabels?: true };

/**
 * The cold-start review ceiling: the most of the shop's sales the prior may send to review. By default it
 * follows the team's fraud labels each day (their proposal, once 10 sales are confirmed fraud); an admin may
 * set a number instead, and go back to the labels. Everyone else reads it.
 */
export function CeilingSetting(props: {
  rate: number;
  setBy: string | null;
  followLabels: boolean;
  isAdmin: boolean;
  busy: boolean;
  input: string;
  proposal: CeilingProposal | null;
  onInput: (value: string) => void;
  /** Saves the typed ceiling (no `rate`), the proposed one, or following the labels. */
  onSave: (change: CeilingChange) => void;
}) {
  const confirmed = props.proposal && (
    <>
      Of the {formatCount(props.proposal.sales)} sales of the last 90 days, your team has confirmed{" "}
      {formatCount(props.proposal.confirmedFraud)} as fraud: about{" "}
      <strong>{formatPercent(props.proposal.confirmedFraudRate)}</strong>.
    </>
  );
  const proposal = props.proposal && (
    <p data-testid="fraud-ceiling-proposal">
      {confirmed} A limit of <strong>{formatPercent(props.proposal.ceiling)}</strong> would fit.{" "}
      {props.isAdmin && (
        <button
          type="button"
          disabled={props.busy || Math.abs(props.proposal.ceiling - props.rate) < 1e-6}
          onClick={() => props.onSave({ rate: props.proposal!.ceiling })}
        >
          Use {formatPercent(props.proposal.ceiling)}
        </button>
      )}
    </p>
  );
  const following = props.followLabels
    ? (
      <p data-testid="fraud-ceiling-follows">
        {props.proposal
          ? (
            <>
              Review limit: <strong>{formatPercent(props.proposal.ceiling)}</strong>{" "}
              of the shop's sales, from your team's fraud labels, updated each day. {confirmed}{" "}
              Until the shop's own model takes over, the ready-made model sends at most that share to review,
              apart from sales it scores {SURE_PRIOR_SCORE} or more.
            </>
          )
          : (
            <>
              Review limit: until the shop's own model takes over, the ready-made model sends at most{" "}
              <strong>{formatPercent(props.rate)}</strong>{" "}
              of the shop's sales to review, apart from sales it scores {SURE_PRIOR_SCORE}{" "}
              or more. Once your team has confirmed 10 sales as fraud, the limit follows their labels each
              day.
            </>
          )}
      </p>
    )
    : (
      <p>
        Review limit: until the shop's own model takes over, the ready-made model sends at most{" "}
        <strong>{formatPercent(props.rate)}</strong> of the shop's sales to review (
        {props.setBy ? `set by ${props.setBy}` : "the default"}), apart from sales it scores{" "}
        {SURE_PRIOR_SCORE}{" "}
        or more. It keeps the review queue to a size your team can work through. If more of your sales than
        that turn out to be fraud, raise it, or some fraud goes through without a review.
      </p>
    );
  if (!props.isAdmin) {
    return (
      <div data-testid="fraud-review-ceiling">
        {following}
        {!props.followLabels && proposal}
        <p>Only admins change it.</p>
      </div>
    );
  }
  return (
    <div data-testid="fraud-review-ceiling">
      {following}
      {!props.followLabels && proposal}
      {!props.followLabels && (
        <p>
          <button type="button" disabled={props.busy} onClick={() => props.onSave({ followLabels: true })}>
            Follow the fraud labels each day
          </button>
        </p>
      )}
      <form
        class="inline-form"
        aria-label="Change the review limit"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave({});
        }}
      >
        <label>
          {props.followLabels ? "Or set a limit of your own (%)" : "Most sales to send to review (%)"}{" "}
          <input
            type="number"
            min={100 * MIN_REVIEW_CEILING}
            max={100 * MAX_REVIEW_CEILING}
            step={0.1}
            required
            value={props.input}
            onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={props.busy}>Save limit</button>
      </form>
    </div>
  );
}
