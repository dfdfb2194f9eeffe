/**
 * What fraud scoring later reads of an order's lines, kept on the order's row when it is written
 * (`transactions.max_item_quantity`, `transactions.category_units`): the customer's history then comes
 * from the orders alone, without a probe into their lines (migrations/0245_transaction_line_summary.sql).
 */
export interface LineSummary {
  /** the largest quantity of any one line */
  maxItemQuantity: number;
  /** units sold per category, keyed by its fraud slug (`fraudCategory`) */
  categoryUnits: Record<string, number>;
}

/** The summary of an order's lines, each with its category already as a fraud slug. */
export function lineSummaryOf(lines: readonly { category: string; quantity: number }[]): LineSummary {
  const categoryUnits: Record<string, number> = {};
  let maxItemQuantity = 0;
  for (const { category, quantity } of lines) {
    if (quantity > maxItemQuantity) maxItemQuantity = quantity;
    categoryUnits[category] = (categoryUnits[category] ?? 0) + quantity;
  }
  return { maxItemQuantity, categoryUnits };
}
