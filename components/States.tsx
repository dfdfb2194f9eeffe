import type { ComponentChildren } from "preact";

/** Nothing to show: a title, a sentence on why, and optionally what to do (a link or a button). */
export function EmptyState(
  { title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren },
) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

/** Something failed: the server's message, announced to screen readers, and how to retry. */
export function ErrorState(
  { title = "Could not load this", message, action }: {
    title?: string;
    message: string;
    action?: ComponentChildren;
  },
) {
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{title}</p>
      <p>{message}</p>
      {action}
    </div>
  );
}

/** Waiting for data: a spinner and a label, announced politely. */
export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
