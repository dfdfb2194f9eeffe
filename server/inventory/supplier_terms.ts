/**
 * A supplier's quantity terms for one product: pack size (order multiple) and price breaks. Read and
 * replaced together, so a set of breaks is always one manager's whole decision.
 * @module
 */
import { TRPCError } from "@trpc/server";
import type { Sql, TransactionSql } from "../db/mod.ts";
import type { PriceBreak } from "./price_breaks.ts";
import type { SupplierTermsInput } from "./schemas.ts";

/** The terms of an offer, or undefined when the supplier does not offer the product. */
export async function readSupplierTerms(
  sql: Sql | TransactionSql,
  productId: number,
  supplierId: number,
): Promise<SupplierTermsInput | undefined> {
  const [row] = await sql<[{ orderMultiple: number; priceBreaks: PriceBreak[] }?]>`
    select ps.order_multiple as "orderMultiple",
           coalesce((select json_agg(json_build_object('minQty', b.min_qty, 'unitCostCents', b.unit_cost_cents)
                                     order by b.min_qty)
                     from supplier_price_breaks b
                     where b.product_id = ps.product_id and b.supplier_id = ps.supplier_id), '[]'::json)
             as "priceBreaks"
    from product_suppliers ps where ps.product_id = ${productId} and ps.supplier_id = ${supplierId}`;
  return row;
}

/** Replaces an offer's pack size and breaks; NOT_FOUND when the supplier does not offer the product. */
export async function saveSupplierTerms(
  tx: TransactionSql,
  productId: number,
  supplierId: number,
  terms: SupplierTermsInput,
): Promise<SupplierTermsInput> {
  const [offer] = await tx`
    update product_suppliers set order_multiple = ${terms.orderMultiple}
    where product_id = ${productId} and supplier_id = ${supplierId} returning product_id`;
  if (!offer) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Supplier ${supplierId} does not offer product ${productId}`,
    });
  }
  await tx`delete from supplier_price_breaks where product_id = ${productId} and supplier_id = ${supplierId}`;
  for (const b of terms.priceBreaks) {
    await tx`
      insert into supplier_price_breaks (product_id, supplier_id, min_qty, unit_cost_cents)
      values (${productId}, ${supplierId}, ${b.minQty}, ${b.unitCostCents})`;
  }
  return (await readSupplierTerms(tx, productId, supplierId))!;
}
