import type { Sql } from "../db/mod.ts";
import type { Services } from "../services.ts";
import { insertApiToken } from "../auth/api_tokens.ts";
import { startTestApp, type TestApp } from "../testing/test_app.ts";
import { DEFAULT_FRAUD_RULES, type FraudRules } from "./rules.ts";

/** Test helper: inserts a customer created at `createdAt` and returns its id. */
export async function insertFraudCustomer(sql: Sql, createdAt: Date): Promise<number> {
  const code = `CUS-F${crypto.randomUUID().slice(0, 12)}`;
  const [row] = await sql<[{ id: number }]>`
    insert into customers (code, name, created_at) values (${code}, ${`Customer ${code}`}, ${createdAt})
    returning id`;
  return row.id;
}

/** Test helper: inserts a product of a catalog category and returns its id. */
export async function insertFraudProduct(
  sql: Sql,
  options: { category: string; priceCents: number; stock?: number },
): Promise<number> {
  const sku = `SKU-F${crypto.randomUUID().slice(0, 12)}`;
  const [row] = await sql<[{ id: number }]>`
    insert into products (sku, name, category, price_cents, stock_quantity)
    values (${sku}, ${`Product ${sku}`}, ${options.category}, ${options.priceCents}, ${options.stock ?? 100})
    returning id`;
  return row.id;
}

/**
 * Test helper: inserts a one-line transaction as an import would (score 0 unless told), optionally labeled
 * and with stored reasons, and returns its id.
 */
export async function insertStoredTransaction(
  sql: Sql,
  options: {
    customerId: number;
    productId: number;
    unitPriceCents: number;
    quantity?: number;
    createdAt: Date;
    paymentMethod?: string;
    status?: string;
    label?: "fraud" | "legit";
    score?: number;
    decision?: "allow" | "review" | "block";
    reasonCodes?: string[];
  },
): Promise<number> {
  const quantity = options.quantity ?? 1;
  const total = quantity * options.unitPriceCents;
  const reasons = (options.reasonCodes ?? []).map((code) => ({ code, message: code, contribution: 10 }));
  const [row] = await sql<[{ id: number }]>`
    insert into transactions (order_ref, customer_id, status, payment_method, subtotal_cents, total_cents,
      item_count, fraud_score, fraud_decision, fraud_reasons, fraud_label, created_at, updated_at)
    values (${`T-${crypto.randomUUID()}`}, ${options.customerId}, ${options.status ?? "completed"},
      ${options.paymentMethod ?? "card"}, ${total}, ${total}, ${quantity}, ${options.score ?? 0},
      ${options.decision ?? "allow"}, ${sql.json(reasons)}, ${options.label ?? null}, ${options.createdAt},
      ${options.createdAt})
    returning id`;
  await sql`
    insert into transaction_items (transaction_id, product_id, quantity, unit_price_cents)
    values (${row.id}, ${options.productId}, ${quantity}, ${options.unitPriceCents})`;
  return row.id;
}

/** Test helper: the default rules with every rule off except the ones given (weights by rule key). */
export function onlyRules(
  weights: Partial<Record<keyof FraudRules, number>>,
  overrides: Partial<FraudRules> = {},
): FraudRules {
  const rules = structuredClone({ ...DEFAULT_FRAUD_RULES, ...overrides }) as
    & FraudRules
    & Record<string, unknown>;
  for (const [key, value] of Object.entries(rules)) {
    if (value && typeof value === "object" && "weight" in value) {
      (value as { weight: number }).weight = (weights as Record<string, number>)[key] ?? 0;
    }
  }
  return rules;
}

/** Test helper: API tokens of an admin ("boss") and an analyst ("eye"), for the fraud endpoints' HTTP tests. */
export async function insertAdminAndAnalystTokens(sql: Sql): Promise<{ admin: string; analyst: string }> {
  const admin = (await insertApiToken(sql, { name: "boss", role: "admin", createdBy: 0 })).token;
  const analyst = (await insertApiToken(sql, { name: "eye", role: "analyst", createdBy: 0 })).token;
  return { admin, analyst };
}

/**
 * Test helper: an app whose database holds an admin's and an analyst's API tokens
 * (`insertAdminAndAnalystTokens`), and whatever `prepare` adds before it starts.
 */
export async function startAppWithFraudTokens(
  prepare?: (services: Services) => Promise<void>,
): Promise<{ app: TestApp; admin: string; analyst: string }> {
  let tokens = { admin: "", analyst: "" };
  const app = await startTestApp({
    prepare: async (services) => {
      tokens = await insertAdminAndAnalystTokens(services.db.sql);
      await prepare?.(services);
    },
  });
  return { app, ...tokens };
}
