import { formatChange } from "./format.ts";

export interface KpiCardProps {
  label: string;
  value: string;
  current: number;
  previous: number;
  /** true when a rise is bad news (suspicious transactions, alerts) */
  higherIsWorse?: boolean;
}

/** One headline figure with its change against the previous period. */
export function KpiCard({ label, value, current, previous, higherIsWorse }: KpiCardProps) {
  const change = formatChange(current, previous);
  const direction = current === previous
    ? "flat"
    : (current > previous) !== Boolean(higherIsWorse)
    ? "good"
    : "bad";
  return (
    <div class="kpi">
      <dt class="kpi-label">{label}</dt>
      <dd class="kpi-value" data-testid={`kpi-${label.toLowerCase().replaceAll(" ", "-")}`}>{value}</dd>
      <dd class={`kpi-change ${direction}`}>{change} vs previous period</dd>
    </div>
  );
}
