export interface StockLevelProps {
  /** units in stock */
  quantity: number;
  /** the level at which to reorder; below it the bar turns amber, at zero red */
  reorderPoint: number | null;
  /** what counts as a full bar; defaults to three times the reorder point (or the quantity) */
  full?: number;
}

/**
 * Units in stock as a number and a `<meter>` bar (no inline styles, so the strict CSP holds; the
 * browser colours the bar by its thresholds: red when out of stock, amber at or below the reorder
 * point, green above it; screen readers read its value).
 */
export function StockLevel({ quantity, reorderPoint, full }: StockLevelProps) {
  const point = Math.max(0, reorderPoint ?? 0);
  // with no known reorder point the bar says "fine" without claiming a full shelf
  const max = Math.max(1, full ?? (point > 0 ? point * 3 : Math.ceil(quantity * 1.5)), quantity);
  const label = point > 0 ? `${quantity} in stock, reorder at ${point}` : `${quantity} in stock`;
  return (
    <span class={`stock${quantity <= 0 ? " stock-out" : ""}`}>
      <span class="stock-figure">{quantity}</span>
      <meter
        min={0}
        max={max}
        low={0.5}
        high={point + 0.5}
        optimum={max}
        value={Math.max(0, quantity)}
        aria-label={label}
        title={label}
      />
    </span>
  );
}
