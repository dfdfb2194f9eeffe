/**
 * Trains a shop's own model from its labeled history: every transaction is replayed in time order (so each
 * one's features see only earlier sales), the labeled ones become examples (analyst labels: fraud / legit),
 * and the model is saved as a candidate version. Run daily by the `fraud-model-training` job and on demand.
 */
import type { Sql } from "../../db/mod.ts";
import type { LabeledRow } from "../evaluate.ts";
import type { FraudRules } from "../rules.ts";
import { fraudCategory } from "../categories.ts";
import type { IdentityColumns } from "./identity.ts";
import { replayWithFeatures } from "./replay_features.ts";
import { featureStatus } from "./features.ts";
import { trainFraudModel } from "./model.ts";
import { type ModelVersion, saveCandidateModel } from "./model_queries.ts";

/** Fewer labels than this and the rules score alone: a model would learn noise. */
export const MIN_LABELED = 200;
export const MIN_LABELED_FRAUD = 20;

interface HistoryRow extends Omit<IdentityColumns, "user_agent"> {
  id: number;
  created_at: Date;
  customer_id: number | null;
  customer_created_at: Date | null;
  payment_method: string;
  status: string;
  fraud_label: "fraud" | "legit" | null;
  items: { product_id: number; category: string; unit_price_cents: number; quantity: number }[];
}

/** The shop's transactions as replayable rows, oldest first, and which of them carry a label. */
export async function loadShopHistory(
  sql: Sql,
): Promise<{ rows: LabeledRow[]; labels: Map<string, boolean> }> {
  const history = await sql<HistoryRow[]>`
    select t.id, t.created_at, t.customer_id, c.created_at as customer_created_at, t.payment_method, t.status,
           t.fraud_label, t.device_id, t.ip_address, t.email, t.card_bin, t.card_last4, t.billing_country,
           t.shipping_country,
           coalesce((select json_agg(json_build_object('product_id', i.product_id, 'category', p.category,
                       'unit_price_cents', i.unit_price_cents, 'quantity', i.quantity))
                     from transaction_items i join products p on p.id = i.product_id
                     where i.transaction_id = t.id), '[]') as items
    from transactions t left join customers c on c.id = t.customer_id
    order by t.created_at, t.id`;
  const rows: LabeledRow[] = [];
  const labels = new Map<string, boolean>();
  for (const t of history) {
    const id = String(t.id);
    if (t.fraud_label) labels.set(id, t.fraud_label === "fraud");
    for (const item of t.items) {
      rows.push({
        transaction_id: id,
        timestamp: t.created_at,
        customer_id: t.customer_id === null ? `guest-${t.id}` : String(t.customer_id),
        customer_created_at: t.customer_created_at ?? t.created_at,
        product_id: String(item.product_id),
        category: fraudCategory(item.category),
        unit_price_cents: item.unit_price_cents,
        quantity: item.quantity,
        payment_method: t.payment_method,
        // A blocked or declined attempt is a decline; refunds and cancels happened as sales (as on the sale path)
        status: featureStatus(t.status),
        is_fraud: t.fraud_label === "fraud",
        device_id: t.device_id ?? undefined,
        ip_address: t.ip_address ?? undefined,
        email: t.email ?? undefined,
        card_bin: t.card_bin ?? undefined,
        card_last4: t.card_last4 ?? undefined,
        billing_country: t.billing_country ?? undefined,
        shipping_country: t.shipping_country ?? undefined,
        user_agent: undefined,
      });
    }
  }
  return { rows, labels };
}

/** Trains on the labeled history and saves a candidate; null (and nothing saved) when labels are too few. */
export async function trainShopModel(
  sql: Sql,
  rules: FraudRules,
  options: { trainedBy: string; now?: Date },
): Promise<ModelVersion | null> {
  const { rows, labels } = await loadShopHistory(sql);
  const fraud = [...labels.values()].filter(Boolean).length;
  if (labels.size < MIN_LABELED || fraud < MIN_LABELED_FRAUD) return null;
  const examples = replayWithFeatures(rows, rules)
    .filter((sale) => labels.has(sale.transactionId))
    .map((sale) => ({ features: sale.features, isFraud: labels.get(sale.transactionId)!, atMs: sale.atMs }));
  const model = trainFraudModel(examples, { source: "shop labels", now: options.now });
  return await saveCandidateModel(sql, model, options.trainedBy);
}
