/**
 * Replays labeled transactions in time order through both scorers' inputs: the rules (production
 * `scoreTransaction`) and the model's features (`memory.ts`). Each transaction sees only what came before it.
 */
import type { LabeledRow } from "../evaluate.ts";
import { createReplayer, streamTransactions } from "../evaluate.ts";
import type { FraudRules } from "../rules.ts";
import { isHighResale } from "../checks/high_resale.ts";
import type { FraudScore } from "../types.ts";
import { computeFeatures } from "./features.ts";
import { deviceKey, type SaleIdentity } from "./identity.ts";
import { createFeatureMemory, type RememberedSale } from "./memory.ts";

/** One replayed transaction with its features, its rules score and its truth. */
export interface ReplayedSale {
  transactionId: string;
  customerId: string;
  atMs: number;
  totalCents: number;
  isFraud: boolean;
  /** the sale's device as it links sales (`deviceKey`), when sent */
  device?: string;
  features: Float64Array;
  rules: FraudScore;
}

/** The identity fields of a labeled row. */
export function identityOfRow(row: LabeledRow): SaleIdentity {
  return {
    deviceId: row.device_id,
    ipAddress: row.ip_address,
    email: row.email,
    cardBin: row.card_bin,
    cardLast4: row.card_last4,
    billingCountry: row.billing_country,
    shippingCountry: row.shipping_country,
    userAgent: row.user_agent,
  };
}

/** Replays a labeled stream in time order (see `streamTransactions`), computing features and rules scores. */
export function replayWithFeatures(rows: readonly LabeledRow[], rules: FraudRules): ReplayedSale[] {
  const replayer = createReplayer(rules);
  const memory = createFeatureMemory();
  const highResale = (category: string) => isHighResale(category, rules);
  // Sales of the same instant are remembered once time moves past it: the features read only sales
  // strictly before the one scored, as the sale path's SQL does (`created_at < now`), whatever order ties
  // come in (an import of whole seconds has many).
  let instant: RememberedSale[] = [];
  return streamTransactions(rows).map(({ input, first }) => {
    const atMs = input.timestamp.getTime();
    if (instant.length > 0 && instant[0].atMs < atMs) {
      for (const sale of instant) memory.remember(sale);
      instant = [];
    }
    const totalCents = input.items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
    const identity = identityOfRow(first);
    const features = computeFeatures(
      {
        customerId: input.customerId,
        customerCreatedAt: input.customerCreatedAt,
        createdAt: input.timestamp,
        items: input.items,
        totalCents,
        paymentMethod: input.paymentMethod,
      },
      identity,
      memory.statsFor(input.customerId, identity, atMs),
      { timeZone: rules.timeZone, highResale },
    );
    const outcome = replayer.replay(input);
    instant.push({
      customerId: input.customerId,
      atMs,
      totalCents,
      status: input.status,
      paymentMethod: input.paymentMethod,
      lines: input.items,
      identity,
    });
    return {
      transactionId: input.transactionId,
      customerId: input.customerId,
      atMs,
      totalCents,
      isFraud: outcome.isFraud,
      device: deviceKey(identity.deviceId),
      features,
      rules: { score: outcome.score, decision: outcome.decision, reasons: outcome.reasons },
    };
  });
}
