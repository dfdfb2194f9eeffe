import type { TransactionCreatedData } from "./app_events.ts";

/** A `transaction.created` event's data, complete, for tests that need a sale to be announced. */
export function saleEventData(overrides: Partial<TransactionCreatedData> = {}): TransactionCreatedData {
  return {
    id: 0,
    orderRef: null,
    status: "completed",
    customerId: null,
    totalCents: 0,
    itemCount: 0,
    fraudScore: null,
    fraudDecision: "allow",
    simulated: false,
    items: [],
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}
