import { useState } from "preact/hooks";

export interface ConfirmButtonProps {
  /** the action, e.g. "Mark received" */
  label: string;
  /** the question asked before it runs, e.g. "Add 40 units of PO #12 to stock? This cannot be undone." */
  question: string;
  /** the label while it runs, e.g. "Receiving…" */
  busyLabel?: string;
  busy?: boolean;
  disabled?: boolean;
  onConfirm(): void;
}

/**
 * A button for an action that cannot be undone: the first click asks (in the page, so it works
 * with a keyboard and a screen reader), "Yes" runs it, "No" puts the button back.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (props.busy) {
    return <button type="button" class="small" disabled>{props.busyLabel ?? props.label}</button>;
  }
  if (!asking) {
    return (
      <button type="button" class="small" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm-step" role="group" aria-label={props.question}>
      <span class="confirm-text">{props.question}</span>
      <button
        type="button"
        class="small danger"
        data-testid="confirm-yes"
        autoFocus
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        Yes, {props.label.toLowerCase()}
      </button>
      <button type="button" class="small secondary" data-testid="confirm-no" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}
