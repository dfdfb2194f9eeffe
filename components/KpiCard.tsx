import { formatChange, formatRate } from "../server/shared/format.ts";

export interface KpiCardProps {
  label: string;
  value: string;
  current: number;
  /** null when there is nothing to compare with: `note` is shown instead of a change */
  previous: number | null;
  /** a line under the figure when there is no change to show */
  note?: string;
  /** the API's relative change (0.25 = +25%); computed from current and previous when left out */
  rate?: number | null;
  /** true when a rise is bad news (suspicious transactions, alerts, low stock) */
  higherIsWorse?: boolean;
  /** what the change compares with ("vs yesterday") */
  versus?: string;
  /** makes the figure a link to the page that explains it */
  href?: string;
}

/** One headline figure with its change against the previous period, coloured good or bad. */
export function KpiCard(props: KpiCardProps) {
  const { label, value, current, previous, higherIsWorse } = props;
  const change = previous === null
    ? ""
    : props.rate !== undefined
    ? formatRate(props.rate)
    : formatChange(current, previous);
  const direction = previous === null || current === previous
    ? "flat"
    : (current > previous) !== Boolean(higherIsWorse)
    ? "good"
    : "bad";
  const testId = `kpi-${label.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <div class="kpi">
      <dt class="kpi-label">{label}</dt>
      <dd class="kpi-value" data-testid={testId}>
        {props.href ? <a href={props.href}>{value}</a> : value}
      </dd>
      <dd class={`kpi-change ${direction}`}>
        {previous === null ? props.note : (
          <>
            <span class="delta">{change}</span> {props.versus ?? "vs previous period"}
          </>
        )}
      </dd>
    </div>
  );
}
