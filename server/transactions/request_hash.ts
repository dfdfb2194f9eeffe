import type { NewTransaction } from "./schemas.ts";

/**
 * SHA-256 (hex) of what an order asks for, in a canonical form: the same order in either body form, with
 * its lines in any order, hashes the same; a different customer, product, quantity, payment method or
 * channel does not. Stored with the Idempotency-Key so a retry with another body is recognised.
 */
export async function hashTransactionRequest(order: NewTransaction): Promise<string> {
  const canonical = JSON.stringify([
    order.customerId,
    [...order.items].sort((a, b) => a.productId - b.productId).map((item) => [item.productId, item.quantity]),
    order.paymentMethod,
    order.channel,
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
