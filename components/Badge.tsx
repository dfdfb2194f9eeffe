import type { ComponentChildren } from "preact";

/** The colour of a badge: each tone has a light and a dark pair that passes WCAG AA. */
export type Tone = "good" | "bad" | "warn" | "info" | "neutral" | "solid-bad";

export interface BadgeProps {
  tone?: Tone;
  /** a coloured dot before the text, for states (live, open, firing) */
  dot?: boolean;
  /** what a screen reader hears when the visible text is terse */
  title?: string;
  children: ComponentChildren;
}

/** A small pill of text: a status, a severity, a count. */
export function Badge({ tone = "neutral", dot, title, children }: BadgeProps) {
  return <span class={`badge badge-${tone}${dot ? " badge-dot" : ""}`} title={title}>{children}</span>;
}

const statusTones: Record<string, Tone> = {
  completed: "good",
  pending: "info",
  declined: "bad",
  blocked: "bad",
  cancelled: "neutral",
  refunded: "warn",
};

/** A transaction's status: completed, pending, declined, blocked, cancelled, refunded. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? "neutral"}>{status}</Badge>;
}

const fraudTones: Record<string, Tone> = { allow: "good", review: "warn", block: "bad" };

/**
 * The fraud check's verdict with its score (0..100); "allow" shows only when
 * `showAllow` is set, so tables highlight the suspicious rows.
 */
export function FraudBadge(
  { decision, score, showAllow }: { decision: string; score?: number; showAllow?: boolean },
) {
  if (decision === "allow" && !showAllow) return null;
  const label = decision === "allow" ? "ok" : decision;
  return (
    <Badge tone={fraudTones[decision] ?? "neutral"} title={`Fraud check: ${decision}`}>
      {label}
      {score !== undefined && ` ${Math.round(score)}`}
    </Badge>
  );
}

const severityTones: Record<string, Tone> = {
  critical: "solid-bad",
  high: "bad",
  medium: "warn",
  low: "info",
  info: "neutral",
};

/** An alert's severity: critical, high, medium, low, info. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severityTones[severity] ?? "neutral"} dot>{severity}</Badge>;
}

const urgencyTones: Record<string, Tone> = {
  critical: "solid-bad",
  high: "bad",
  medium: "warn",
  low: "info",
};

/** A low-stock item's urgency: critical, high, medium, low. */
export function UrgencyBadge({ urgency }: { urgency: string }) {
  return <Badge tone={urgencyTones[urgency] ?? "neutral"}>{urgency}</Badge>;
}

const alertStatusTones: Record<string, Tone> = {
  open: "bad",
  acknowledged: "warn",
  snoozed: "info",
  resolved: "good",
};

/** An alert's status: open, acknowledged, snoozed, resolved. */
export function AlertStatusBadge({ status }: { status: string }) {
  return <Badge tone={alertStatusTones[status] ?? "neutral"} dot>{status}</Badge>;
}
