/**
 * Reorder maths on top of a demand forecast: lead-time demand, safety stock, reorder point, order
 * quantity and days until stock-out. Pure functions; quantities in units, money in integer cents.
 * @module
 */

/** The parts of a `DemandForecast` the reorder maths needs: daily point forecasts and the upper 80% bound. */
export interface ForecastBands {
  point: readonly number[];
  upper80: readonly number[];
}

// Coefficients of Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9).
const A = [
  -39.69683028665376,
  220.9460984245205,
  -275.9285104469687,
  138.357751867269,
  -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293,
  -0.3223964580411365,
  -2.400758277161838,
  -2.549732539343734,
  4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * The standard normal quantile: the z with P(Z <= z) = p (Acklam's algorithm).
 * @param p probability strictly between 0 and 1
 * @example inverseNormalCdf(0.95) // 1.6448536...
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`Invalid probability ${p}: must be strictly between 0 and 1`);
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** `values[day]`, or past the end the mean of the last week of values (the forecast's latest rate). */
function extended(values: readonly number[], day: number): number {
  if (day < values.length) return values[day];
  const tail = values.slice(-7);
  return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : 0;
}

/** Sum of `f(day) * weight` over `days` days, the last one counted by its fraction. */
function overDays(days: number, f: (day: number) => number): number {
  let total = 0;
  for (let day = 0; day < Math.ceil(days); day++) total += f(day) * Math.min(1, days - day);
  return total;
}

/**
 * Expected demand over the next `days` days: the sum of the daily point forecasts, a fractional last
 * day counted in part. Beyond the forecast horizon the last week's average rate continues.
 * @example leadTimeDemand([1, 2, 3, 4], 2.5) // 4.5
 */
export function leadTimeDemand(point: readonly number[], days: number): number {
  if (!(days >= 0)) throw new RangeError(`Invalid lead time ${days}: must be a number of days >= 0`);
  return overDays(days, (day) => extended(point, day));
}

/**
 * Standard deviation of each day's forecast error, read from the 80% interval: (upper80 - point) / z(0.90).
 * The upper side is used because running short is what safety stock guards against.
 */
export function dailyErrorStdDev(forecast: ForecastBands): number[] {
  const z90 = inverseNormalCdf(0.9);
  return forecast.point.map((value, day) => Math.max(0, (forecast.upper80[day] ?? value) - value) / z90);
}

/**
 * Safety stock at a service level (the probability of no stock-out during the lead time):
 * z(serviceLevel) * sqrt(sum of daily error variances over the lead time). Daily errors are taken as
 * independent, which is the textbook sigma * sqrt(L) when every day has the same error.
 * @param dailyStdDev forecast error standard deviation per day ahead, or one value for every day
 * @param leadTimeDays supplier lead time in days
 * @param serviceLevel between 0.5 and 1 (exclusive); 0.95 by default
 * @example safetyStock(2, 4) // 1.645 * 2 * 2 = 6.58
 */
export function safetyStock(
  dailyStdDev: readonly number[] | number,
  leadTimeDays: number,
  serviceLevel = 0.95,
): number {
  if (!(serviceLevel >= 0.5 && serviceLevel < 1)) {
    throw new RangeError(`Invalid service level ${serviceLevel}: must be at least 0.5 and below 1`);
  }
  if (!(leadTimeDays >= 0)) {
    throw new RangeError(`Invalid lead time ${leadTimeDays}: must be a number of days >= 0`);
  }
  const sigmas = typeof dailyStdDev === "number" ? [dailyStdDev] : dailyStdDev;
  // squared once: squaring inside the per-day callback copied the whole forecast for every day of the lead
  // time, which a stock-alert sync after sales did for each product it planned
  const variances = sigmas.map((s) => s * s);
  const variance = overDays(leadTimeDays, (day) => extended(variances, day));
  return inverseNormalCdf(serviceLevel) * Math.sqrt(variance);
}

/** Reorder point and the two parts it is made of. */
export interface ReorderPoint {
  /** Expected units sold during the lead time. */
  leadTimeDemand: number;
  /** Extra units held against forecast error during the lead time. */
  safetyStock: number;
  /** Reorder when stock on hand plus on order falls to this many units (rounded up). */
  reorderPoint: number;
}

/**
 * Reorder point = lead-time demand + safety stock, rounded up to whole units.
 * @param forecast daily point forecasts and upper 80% bounds
 * @param leadTimeDays supplier lead time
 */
export function reorderPoint(
  forecast: ForecastBands,
  leadTimeDays: number,
  options: { serviceLevel?: number } = {},
): ReorderPoint {
  const demand = leadTimeDemand(forecast.point, leadTimeDays);
  const safety = safetyStock(dailyErrorStdDev(forecast), leadTimeDays, options.serviceLevel ?? 0.95);
  // The epsilon keeps 50.0000000001 from becoming 51 through floating-point noise.
  return { leadTimeDemand: demand, safetyStock: safety, reorderPoint: Math.ceil(demand + safety - 1e-9) };
}

/** Inputs of `orderQuantity`. */
export interface OrderQuantityInput {
  /** Daily point forecasts. */
  point: readonly number[];
  leadTimeDays: number;
  /** Days of demand the order should cover after it arrives. */
  targetDays: number;
  safetyStock: number;
  currentStock: number;
  /** Units already ordered and not yet received. */
  onOrder?: number;
  /** The supplier's minimum order quantity. */
  minOrderQty?: number;
  /** Cost of holding one unit for a year, in cents; with `orderingCostCents` switches to EOQ. */
  holdingCostCentsPerUnitYear?: number;
  /** Fixed cost of placing one order, in cents. */
  orderingCostCents?: number;
}

/** How many units to order and how the number came about. */
export interface OrderQuantity {
  /** Units to order, a whole number; 0 when stock already covers the need. */
  quantity: number;
  /** "target_days": covers lead time + target days; "eoq": the economic order quantity was larger. */
  method: "target_days" | "eoq";
  /** Units needed before the supplier's minimum was applied. */
  needed: number;
  /** True when the supplier's minimum order quantity raised the order. */
  raisedToMinimum: boolean;
}

/**
 * Order quantity: enough to cover the lead time plus `targetDays` of forecast demand plus safety stock,
 * less stock on hand and on order. When holding and ordering costs are both set, the economic order
 * quantity sqrt(2 * annual demand * ordering cost / holding cost) is used if larger, since ordering
 * less than that costs more in orders than it saves in holding. Raised to the supplier's minimum.
 */
export function orderQuantity(input: OrderQuantityInput): OrderQuantity {
  const covered = leadTimeDemand(input.point, input.leadTimeDays + input.targetDays);
  const needed = Math.max(
    0,
    Math.ceil(covered + input.safetyStock - input.currentStock - (input.onOrder ?? 0) - 1e-9),
  );
  if (needed === 0) return { quantity: 0, method: "target_days", needed, raisedToMinimum: false };
  let quantity = needed;
  let method: OrderQuantity["method"] = "target_days";
  const holding = input.holdingCostCentsPerUnitYear ?? 0;
  const ordering = input.orderingCostCents ?? 0;
  if (holding > 0 && ordering > 0) {
    const annualDemand = leadTimeDemand(input.point, 365);
    const eoq = Math.ceil(Math.sqrt((2 * annualDemand * ordering) / holding) - 1e-9);
    if (eoq > quantity) {
      quantity = eoq;
      method = "eoq";
    }
  }
  const minimum = input.minOrderQty ?? 0;
  const raisedToMinimum = minimum > quantity;
  return { quantity: Math.max(quantity, minimum), method, needed, raisedToMinimum };
}

/**
 * Days until the forecast demand uses up `currentStock`, fractional (2.5 = halfway through day 3).
 * 0 when there is no stock; past the horizon the last week's average rate continues; null when no
 * stock-out is ever projected (no forecast demand).
 * @example daysUntilStockout(25, [10, 10, 10]) // 2.5
 */
export function daysUntilStockout(currentStock: number, point: readonly number[]): number | null {
  if (currentStock <= 0) return 0;
  let remaining = currentStock;
  for (let day = 0; day < point.length; day++) {
    if (point[day] >= remaining) return day + remaining / point[day];
    remaining -= point[day];
  }
  const rate = extended(point, point.length);
  return rate > 0 ? point.length + remaining / rate : null;
}
