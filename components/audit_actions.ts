/**
 * What the audit log records, by the words staff read: the log's What column shows them and its filter
 * offers them (the filter's values stay the stored codes). One list: `server/auth/audit_coverage_test.ts`
 * fails when a mutation writes an action this list does not name.
 */
export const AUDIT_ACTION_GROUPS = [
  {
    label: "Signing in",
    actions: [
      { value: "auth.login", label: "Signed in" },
      { value: "auth.login_failed", label: "Sign-in failed" },
      { value: "auth.logout", label: "Signed out" },
      { value: "auth.logout_everywhere", label: "Signed out everywhere" },
    ],
  },
  {
    label: "Users and API tokens",
    actions: [
      { value: "user.created", label: "User created" },
      { value: "user.role_changed", label: "User's role changed" },
      { value: "user.disabled", label: "User disabled" },
      { value: "user.enabled", label: "User enabled" },
      { value: "user.password_changed", label: "Password changed" },
      { value: "user.password_reset", label: "Password reset" },
      { value: "user.sign_in_throttle_cleared", label: "Sign-in pause lifted" },
      { value: "token.created", label: "API token created" },
      { value: "token.revoked", label: "API token revoked" },
    ],
  },
  {
    label: "Sales",
    actions: [
      { value: "transaction.created", label: "Sale made" },
      { value: "transaction.refund", label: "Sale refunded" },
      { value: "transaction.refund_lines", label: "Part of a sale refunded" },
      { value: "transaction.cancel", label: "Sale cancelled" },
      { value: "transaction.labeled", label: "Sale marked fraud or genuine" },
    ],
  },
  {
    label: "Fraud",
    actions: [
      { value: "fraud_rules.saved", label: "Fraud rules saved" },
      { value: "fraud_rules.activated", label: "Fraud rules put in force" },
      { value: "fraud_list.block", label: "Customer put on the block list" },
      { value: "fraud_list.allow", label: "Customer put on the allow list" },
      { value: "fraud_list.removed", label: "Customer taken off a list" },
      { value: "fraud_model.trained", label: "Fraud model trained" },
      { value: "fraud_model.activated", label: "Fraud model put in force" },
      { value: "fraud_settings.changed", label: "Fraud settings changed" },
    ],
  },
  {
    label: "Products and stock",
    actions: [
      { value: "product.created", label: "Product added" },
      { value: "product.updated", label: "Product changed" },
      { value: "inventory.forecast_recomputed", label: "Forecasts worked out again" },
      { value: "inventory.supplier_weights_changed", label: "Supplier weights changed" },
      { value: "inventory.supplier_terms_changed", label: "Supplier terms changed" },
      { value: "reorder_suggestion.approved", label: "Reorder approved" },
      { value: "reorder_suggestion.rejected", label: "Reorder rejected" },
      { value: "reorder_suggestion.snoozed", label: "Reorder snoozed" },
      { value: "purchase_order.received", label: "Delivery received" },
      { value: "purchase_order.closed_short", label: "Order closed short" },
      { value: "calendar_event.created", label: "Promotion or closure added" },
      { value: "calendar_event.deleted", label: "Promotion or closure deleted" },
    ],
  },
  {
    label: "Alerts and notifications",
    actions: [
      { value: "alert.created", label: "Alert raised by hand" },
      { value: "alert.repeated", label: "Alert raised again" },
      { value: "alert.acknowledged", label: "Alert acknowledged" },
      { value: "alert.snoozed", label: "Alert snoozed" },
      { value: "alert.resolved", label: "Alert resolved" },
      { value: "alert.deleted", label: "Alert deleted" },
      { value: "alert_rule.created", label: "Alert rule created" },
      { value: "alert_rule.updated", label: "Alert rule changed" },
      { value: "alert_rule.deleted", label: "Alert rule deleted" },
      { value: "notifications.contactPoints.create", label: "Contact point added" },
      { value: "notifications.contactPoints.update", label: "Contact point changed" },
      { value: "notifications.contactPoints.delete", label: "Contact point deleted" },
      { value: "notifications.contactPoints.test", label: "Contact point tested" },
      { value: "notifications.policies.create", label: "Notification policy added" },
      { value: "notifications.policies.update", label: "Notification policy changed" },
      { value: "notifications.policies.delete", label: "Notification policy deleted" },
      { value: "notifications.silences.create", label: "Silence added" },
      { value: "notifications.silences.expire", label: "Silence ended" },
      { value: "notifications.reportSubscriptions.subscribe", label: "Subscribed to a report" },
      { value: "notifications.reportSubscriptions.unsubscribe", label: "Unsubscribed from a report" },
    ],
  },
  {
    label: "Imports, feeds and jobs",
    actions: [
      { value: "import.started", label: "Import started" },
      { value: "import.completed", label: "Import finished" },
      { value: "import.mapping-saved", label: "Import mapping saved" },
      { value: "integration.created", label: "Order feed added" },
      { value: "integration.enabled", label: "Order feed switched on" },
      { value: "integration.disabled", label: "Order feed switched off" },
      { value: "job.run_now", label: "Job run by hand" },
    ],
  },
] as const;

const LABELS = new Map<string, string>(
  AUDIT_ACTION_GROUPS.flatMap((group) => group.actions.map((action) => [action.value, action.label])),
);

/** `auth.login` -> `Signed in`; an action this list does not know yet is shown as stored. */
export function auditActionLabel(action: string): string {
  return LABELS.get(action) ?? action;
}

/** Whether the list names `action` (the audit coverage test asks it of every action written). */
export function isKnownAuditAction(action: string): boolean {
  return LABELS.has(action);
}
