import type { Sql } from "../db/mod.ts";

/** One product's expected daily units from `startsOn`, with its category. */
export interface ProductMean {
  category: string;
  startsOn: string;
  mean: readonly number[];
}

/** Forecast totals per day from `startsOn`: each category's, and the shop's (their sum). */
export interface ForecastTotals {
  startsOn: string;
  shop: number[];
  categories: Record<string, number[]>;
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Bottom-up totals: a category's forecast is the sum of its products' expected units, the shop's
 * the sum of the categories', day by day from `startsOn` for `horizon` days. Expected values (not
 * medians) are summed because only means add up; the totals are coherent by construction. A
 * product whose forecast started earlier is aligned by date; days it does not cover add nothing.
 */
export function bottomUpTotals(
  products: readonly ProductMean[],
  startsOn: string,
  horizon: number,
): ForecastTotals {
  const shop = new Array<number>(horizon).fill(0);
  const categories: Record<string, number[]> = {};
  for (const product of products) {
    const offset = dayDiff(product.startsOn, startsOn);
    const totals = categories[product.category] ??= new Array<number>(horizon).fill(0);
    for (let day = 0; day < horizon; day++) {
      const value = product.mean[day + offset];
      if (value === undefined || !(value > 0)) continue;
      totals[day] += value;
    }
  }
  for (const totals of Object.values(categories)) {
    for (let day = 0; day < horizon; day++) shop[day] += totals[day];
  }
  return { startsOn, shop, categories };
}

/** Totals from the latest forecast of every active product (the stored mean, else the point). */
export async function loadForecastTotals(
  sql: Sql,
  options: { today: string; horizon: number },
): Promise<ForecastTotals> {
  const rows = await sql<{ category: string; startsOn: string; mean: number[] }[]>`
    select distinct on (i.product_id)
           p.category, i.starts_on::text as "startsOn", coalesce(i.mean, i.point) as mean
    from inventory_predictions i join products p on p.id = i.product_id
    where p.is_active and i.starts_on + i.horizon_days > ${options.today}::date
    order by i.product_id, i.generated_at desc, i.id desc`;
  return bottomUpTotals(rows, options.today, options.horizon);
}
