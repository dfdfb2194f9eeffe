import { createHash } from "node:crypto";
import type { NewTransaction } from "./schemas.ts";

/**
 * SHA-256 (hex) of what an order asks for, in a canonical form: the same order in either body form, with
 * its lines in any order, hashes the same; a different customer, product, quantity, payment method or
 * channel does not. Stored with the Idempotency-Key so a retry with another body is recognised.
 */
export function hashTransactionRequest(order: NewTransaction): string {
  const canonical = JSON.stringify([
    order.customerId,
    [...order.items].sort((a, b) => a.productId - b.productId).map((item) => [item.productId, item.quantity]),
    order.paymentMethod,
    order.channel,
    ...(order.identity ? [order.identity] : []),
  ]);
  // synchronous: crypto.subtle.digest's promise round trip cost a sale more than the hash itself
  return createHash("sha256").update(canonical).digest("hex");
}
