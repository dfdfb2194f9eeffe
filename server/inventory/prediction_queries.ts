import type { Sql, TransactionSql } from "../db/mod.ts";
import type { DemandForecast } from "../forecast/mod.ts";

/** A stored demand forecast for one product: the forecast as computed, plus where and when it applies. */
export interface StoredPrediction extends
  Pick<
    DemandForecast,
    "model" | "point" | "lower80" | "upper80" | "lower95" | "upper95" | "backtestMase" | "params"
  > {
  productId: number;
  horizonDays: number;
  /** Expected units a day (stored by the job for totals; not read back with the forecast). */
  mean?: number[];
  /** First forecast day ("YYYY-MM-DD"), in the store's time zone. */
  startsOn: string;
  generatedAt: Date;
}

/** Rows per insert statement: well under the protocol's 65,535 parameters. */
const INSERT_CHUNK = 1000;

/** Three decimals are plenty for units per day, and keep the rows small. */
function rounded(values: readonly number[]): number[] {
  return values.map((value) => Math.round(value * 1000) / 1000);
}

/** Stores forecasts, several hundred rows per statement. */
export async function insertPredictions(
  sql: Sql,
  predictions: readonly Omit<StoredPrediction, "generatedAt">[],
  generatedAt: Date,
): Promise<void> {
  for (let start = 0; start < predictions.length; start += INSERT_CHUNK) {
    const rows = predictions.slice(start, start + INSERT_CHUNK).map((p) => ({
      product_id: p.productId,
      model: p.model,
      params: JSON.stringify(p.params),
      horizon_days: p.horizonDays,
      starts_on: p.startsOn,
      point: `{${rounded(p.point).join(",")}}`,
      lower80: `{${rounded(p.lower80).join(",")}}`,
      upper80: `{${rounded(p.upper80).join(",")}}`,
      lower95: `{${rounded(p.lower95).join(",")}}`,
      upper95: `{${rounded(p.upper95).join(",")}}`,
      mean: p.mean ? `{${rounded(p.mean).join(",")}}` : null,
      backtest_mase: p.backtestMase,
      generated_at: generatedAt.toISOString(),
    }));
    // One JSON parameter per chunk, with arrays as text literals cast in SQL: the statement then
    // works the same on PostgreSQL and on the embedded database, whatever types the driver infers.
    await sql`
      insert into inventory_predictions (product_id, model, params, horizon_days, starts_on, point, lower80,
                                         upper80, lower95, upper95, mean, backtest_mase, generated_at)
      select r.product_id, r.model, r.params::jsonb, r.horizon_days, r.starts_on::date, r.point::real[],
             r.lower80::real[], r.upper80::real[], r.lower95::real[], r.upper95::real[], r.mean::real[], r.backtest_mase,
             r.generated_at
      from jsonb_to_recordset(${sql.json(rows)}::jsonb) as r(
        product_id bigint, model text, params text, horizon_days int, starts_on text, point text,
        lower80 text, upper80 text, lower95 text, upper95 text, mean text, backtest_mase real,
        generated_at timestamptz)`;
  }
}

/** Deletes forecasts generated before `before`, keeping each product's latest whatever its age. */
export async function deleteOldPredictions(sql: Sql, before: Date): Promise<number> {
  const result = await sql`
    delete from inventory_predictions p
    where p.generated_at < ${before}
      and exists (
        select 1 from inventory_predictions newer
        where newer.product_id = p.product_id and newer.generated_at > p.generated_at
      )`;
  return result.count;
}

/** The latest stored forecast of each given product (products without one are absent). */
export function latestPredictions(
  sql: Sql | TransactionSql,
  productIds: readonly number[],
): Promise<Map<number, StoredPrediction>> {
  return latestRows<StoredPrediction>(
    sql,
    productIds,
    sql`, model, params, horizon_days as "horizonDays", lower80, lower95, upper95, backtest_mase as "backtestMase"`,
  );
}

/** What a reorder plan reads of a stored forecast: its first day, point and upper 80 % bands, its time. */
export type PlanningForecast = Pick<
  StoredPrediction,
  "productId" | "startsOn" | "point" | "upper80" | "generatedAt"
>;

/**
 * The latest stored forecast of each given product, only the part a reorder plan reads: the stock-alert
 * sync plans every product sold in its window, and the three bands and parameters it does not use were
 * most of the rows' parsing.
 */
export function latestPlanningForecasts(
  sql: Sql | TransactionSql,
  productIds: readonly number[],
): Promise<Map<number, PlanningForecast>> {
  return latestRows<PlanningForecast>(sql, productIds, sql``);
}

/** The latest forecast row of each given product: the columns plans read, then `more` (", a, b"). */
async function latestRows<T extends PlanningForecast>(
  sql: Sql | TransactionSql,
  productIds: readonly number[],
  more: ReturnType<Sql>,
): Promise<Map<number, T>> {
  const rows = await sql<T[]>`
    select distinct on (product_id)
           product_id as "productId", starts_on::text as "startsOn", point, upper80, generated_at as "generatedAt"
           ${more}
    from inventory_predictions
    where product_id = any(${sql.array([...productIds], 20)}::bigint[])
    order by product_id, generated_at desc, id desc`;
  return new Map(rows.map((row) => [row.productId, row]));
}

/** The latest stored forecast of every active product. */
export async function latestPredictionsOfActiveProducts(sql: Sql): Promise<Map<number, StoredPrediction>> {
  const rows = await sql<StoredPrediction[]>`
    select distinct on (i.product_id)
           i.product_id as "productId", i.model, i.params, i.horizon_days as "horizonDays",
           i.starts_on::text as "startsOn", i.point, i.lower80, i.upper80, i.lower95, i.upper95,
           i.backtest_mase as "backtestMase", i.generated_at as "generatedAt"
    from inventory_predictions i
    join products p on p.id = i.product_id and p.is_active
    order by i.product_id, i.generated_at desc, i.id desc`;
  return new Map(rows.map((row) => [row.productId, row]));
}
