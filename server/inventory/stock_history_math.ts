/**
 * End-of-day stock from today's stock and the movements since: pure.
 * @module
 */

/**
 * End-of-day stock for each of the `days` days before today, oldest first, walking back from the
 * stock now: the end of a day is the stock now minus every movement after that day.
 * @param current stock now
 * @param movements net stock change per day offset (0 = the oldest day, `days` = today so far)
 * @example endOfDayStock(5, new Map([[1, -2]]), 2) // [7, 5]
 */
export function endOfDayStock(
  current: number,
  movements: ReadonlyMap<number, number>,
  days: number,
): number[] {
  const stock = new Array<number>(days);
  let level = current - (movements.get(days) ?? 0);
  for (let day = days - 1; day >= 0; day--) {
    stock[day] = level;
    level -= movements.get(day) ?? 0;
  }
  return stock;
}

/**
 * Out-of-stock days: a day that started (previous end) and ended with no stock sold nothing
 * because there was nothing to sell, so its zero is not demand. `endStock[i]` belongs to day
 * `first + i`; `previousEnd` is the end of the day before `endStock[0]` (null when unknown).
 */
export function stockOutDays(endStock: readonly (number | null)[], previousEnd: number | null): boolean[] {
  return endStock.map((end, i) => {
    const start = i === 0 ? previousEnd : endStock[i - 1];
    return end !== null && start !== null && end <= 0 && start <= 0;
  });
}
