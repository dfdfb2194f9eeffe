import { ChartCanvas, type ChartSpec, ChartTable, type ValueFormat } from "./_chart.tsx";

export type { ChartSpec, ValueFormat };

export interface ChartProps {
  /**
   * chart.js `{ type, data, options }` as plain data (no callbacks). Colours are design tokens:
   * `"var(--chart-1)"`, or `"var(--chart-1) / 0.2"` for a translucent fill; they follow the theme.
   */
  config: ChartSpec;
  /** what the chart shows, for screen readers and the table's caption ("Sales per hour, today") */
  label: string;
  /** how values read on the y axis, in tooltips and in the table */
  format?: ValueFormat;
  /** 320 px instead of 240 px */
  tall?: boolean;
  /** leave out the "Show the data as a table" alternative (when the page shows a table anyway) */
  noTable?: boolean;
}

/**
 * A generic chart.js chart. The server renders a sized empty box and the data as a table (so the
 * page is readable without JavaScript); the browser loads chart.js and draws. Use it only on pages
 * with charts: chart.js is a separate chunk fetched when a chart mounts.
 * @example <Chart label="Revenue per day" format="cents" config={{ type: "bar", data: { labels, datasets: [{ label: "Revenue", data, backgroundColor: "var(--chart-1)" }] } }} />
 */
export default function Chart(props: ChartProps) {
  return (
    <figure class="chart-figure">
      <ChartCanvas spec={props.config} label={props.label} format={props.format} tall={props.tall} />
      {!props.noTable && <ChartTable spec={props.config} format={props.format} caption={props.label} />}
    </figure>
  );
}
