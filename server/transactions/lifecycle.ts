import type { Caller } from "../trpc/roles.ts";
/**
 * The transaction lifecycle: which status an action leads to, from which statuses it is allowed, and
 * whether it puts the items back in stock. Pure, so the rules are tested on their own and stated once.
 *
 * ```
 * (create) ──allow/review──> completed ──refund──> refunded
 *    │                         │
 *    └──block──> blocked       └──cancel──> cancelled
 * (import) pending ──cancel──> cancelled
 * ```
 * `blocked`, `declined`, `cancelled` and `refunded` are final. A blocked or declined transaction never
 * took stock, so nothing is restored; a pending or completed one did, so a refund or cancel restores it.
 */

/** Every status a transaction can have (the check constraint of `transactions.status`). */
export const TRANSACTION_STATUSES = [
  "pending",
  "completed",
  "declined",
  "blocked",
  "cancelled",
  "refunded",
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** What a manager can do to an existing transaction. */
export type LifecycleAction = "refund" | "cancel";

const transitions: Record<LifecycleAction, { from: readonly TransactionStatus[]; to: TransactionStatus }> = {
  refund: { from: ["completed"], to: "refunded" },
  cancel: { from: ["pending", "completed"], to: "cancelled" },
};

/** Statuses whose items are out of stock (taken at creation and not yet given back). */
const holdingStock: readonly TransactionStatus[] = ["pending", "completed"];

/** The outcome of applying an action to a transaction in `status`. */
export type TransitionResult =
  | { ok: true; to: TransactionStatus; restoresStock: boolean }
  | { ok: false; message: string };

/** Statuses from which `action` is allowed. */
export function allowedFrom(action: LifecycleAction): readonly TransactionStatus[] {
  return transitions[action].from;
}

/**
 * Where `action` takes a transaction in `status`, or why it cannot.
 * @example transition("completed", "refund") // { ok: true, to: "refunded", restoresStock: true }
 */
export function transition(status: string, action: LifecycleAction): TransitionResult {
  const rule = transitions[action];
  if (!(rule.from as readonly string[]).includes(status)) {
    const already = status === rule.to ? ` (it is already ${status})` : "";
    return {
      ok: false,
      message: `Cannot ${action} a ${status} transaction${already}: only ${
        rule.from.join(" or ")
      } transactions can be ${action === "refund" ? "refunded" : "cancelled"}`,
    };
  }
  return { ok: true, to: rule.to, restoresStock: (holdingStock as readonly string[]).includes(status) };
}

/** Who acts, for the status history and the audit log. */
export interface Actor {
  caller: Caller;
  requestId?: string;
  ip?: string;
}
