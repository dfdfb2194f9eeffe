/** The kinds of alert by the names staff see: the Type filter offers them and each alert's line shows them. */
export const ALERT_TYPES = [
  { value: "low_stock", label: "Low stock" },
  { value: "fraud_review", label: "Fraud review" },
  { value: "rule", label: "Alert rule" },
  { value: "job_failed", label: "Job failed" },
  { value: "custom", label: "Custom" },
] as const;

/** `low_stock` -> `Low stock`; a type this list does not know yet is shown as stored. */
export function alertTypeLabel(type: string): string {
  return ALERT_TYPES.find((entry) => entry.value === type)?.label ?? type;
}
