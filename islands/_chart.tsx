/// <reference lib="dom" />
import type { Chart as ChartInstance, ChartConfiguration } from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { currentStoreFormat, formatCents, formatCount, formatPercent } from "../server/shared/format.ts";
import { resolveColors } from "./_chart_theme.ts";

/** Chart types the app draws. */
export type ChartType = "line" | "bar" | "doughnut" | "pie" | "radar" | "scatter";

/** How values read on axes, tooltips and the table alternative. */
export type ValueFormat = "cents" | "count" | "percent" | "number";

/** A chart.js config as plain data: no callbacks, colours as `var(--chart-1)` tokens. */
export interface ChartSpec {
  type: ChartType;
  data: {
    labels?: (string | number)[];
    datasets: (
      & { label?: string; data: (number | null | { x: number | string; y: number | null })[] }
      & Record<
        string,
        unknown
      >
    )[];
  };
  options?: Record<string, unknown>;
  /** drill-through: where each label leads (a bar click and the table's label go there) */
  links?: (string | null)[];
}

/** Formats one value for people. */
export function formatValue(value: number | null | undefined, format: ValueFormat = "number"): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (format === "cents") return formatCents(value);
  if (format === "percent") return formatPercent(value);
  if (format === "count") return formatCount(value);
  return value.toLocaleString(currentStoreFormat().settings.locale, { maximumFractionDigits: 2 });
}

// chart.js is loaded on first use, so pages without charts never download it
let chartModule: Promise<typeof import("chart.js")> | undefined;
function loadChartJs() {
  chartModule ??= import("chart.js").then((module) => {
    module.Chart.register(...module.registerables);
    return module;
  });
  return chartModule;
}

function cssLookup(): (name: string) => string {
  const style = getComputedStyle(document.documentElement);
  return (name) => style.getPropertyValue(name);
}

function buildConfig(spec: ChartSpec, format: ValueFormat): ChartConfiguration {
  const lookup = cssLookup();
  const muted = lookup("--muted").trim();
  const border = lookup("--border").trim();
  const circular = spec.type === "doughnut" || spec.type === "pie";
  // whole pounds on the axis: pence would only crowd it
  const tick = (value: string | number) =>
    format === "cents"
      ? formatCents(Math.round(Number(value) / 100) * 100).replace(/\.00$/, "")
      : formatValue(Number(value), format);
  const options = resolveColors(spec.options ?? {}, lookup) as Record<string, unknown>;
  const scales = (options.scales ?? {}) as Record<string, Record<string, unknown>>;
  const defaultScales = circular ? {} : {
    x: {
      grid: { color: border, drawTicks: false },
      ticks: { color: muted, maxRotation: 0, autoSkipPadding: 12 },
    },
    y: {
      beginAtZero: true,
      grid: { color: border },
      border: { display: false },
      ticks: { color: muted, callback: tick },
    },
  };
  const mergedScales: Record<string, unknown> = { ...defaultScales };
  for (const [axis, settings] of Object.entries(scales)) {
    const base = (defaultScales as Record<string, Record<string, unknown>>)[axis] ?? {
      grid: { color: border },
      ticks: { color: muted, callback: tick },
    };
    mergedScales[axis] = {
      ...base,
      ...settings,
      ticks: { ...(base.ticks as object), ...(settings.ticks as object) },
    };
  }
  return {
    type: spec.type,
    data: resolveColors(spec.data, lookup) as ChartConfiguration["data"],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 250 },
      interaction: { mode: circular ? "nearest" : "index", intersect: false },
      ...options,
      ...(spec.links ? drillThrough(spec.links) : {}),
      scales: mergedScales,
      plugins: {
        legend: {
          labels: { color: muted, boxWidth: 12, boxHeight: 12 },
          display: spec.data.datasets.length > 1 || circular,
        },
        ...(options.plugins as object),
        tooltip: {
          callbacks: {
            label(item) {
              const raw = item.raw as number | { y: number } | null;
              const value = typeof raw === "object" && raw !== null ? raw.y : raw;
              return `${item.dataset.label ?? item.label ?? ""}: ${formatValue(value, format)}`;
            },
          },
        },
      },
    } as ChartConfiguration["options"],
  };
}

/** Chart.js handlers that open the link of the clicked bar or point, with a pointer over linked ones. */
function drillThrough(links: (string | null)[]) {
  const linkAt = (elements: { index: number }[]) => links[elements[0]?.index ?? -1] ?? null;
  return {
    onClick(_event: unknown, elements: { index: number }[]) {
      const href = linkAt(elements);
      if (href) location.assign(href);
    },
    onHover(event: { native?: Event | null }, elements: { index: number }[]) {
      const target = event.native?.target as HTMLElement | undefined;
      if (target) target.style.cursor = linkAt(elements) ? "pointer" : "default";
    },
  };
}

export interface ChartCanvasProps {
  spec: ChartSpec;
  /** the accessible name of the drawing */
  label: string;
  format?: ValueFormat;
  tall?: boolean;
}

/**
 * A chart.js canvas: created in an effect (so the server renders an empty, sized box), updated in
 * place when the spec changes, rebuilt when the theme changes, destroyed on unmount.
 */
export function ChartCanvas({ spec, label, format = "number", tall }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const latest = useRef({ spec, format });
  latest.current = { spec, format };

  useEffect(() => {
    let cancelled = false;
    async function create() {
      const { Chart } = await loadChartJs();
      if (cancelled || !canvas.current) return;
      chart.current?.destroy();
      chart.current = new Chart(canvas.current, buildConfig(latest.current.spec, latest.current.format));
    }
    create();
    const media = matchMedia("(prefers-color-scheme: dark)");
    const rebuild = () => create();
    media.addEventListener("change", rebuild);
    globalThis.addEventListener("themechange", rebuild);
    return () => {
      cancelled = true;
      media.removeEventListener("change", rebuild);
      globalThis.removeEventListener("themechange", rebuild);
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const next = buildConfig(spec, format);
    current.data = next.data;
    current.update("none");
  }, [spec, format]);

  return (
    <div class={`chart${tall ? " chart-tall" : ""}`}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/** The chart's numbers as a table: labels down, datasets across. */
export function ChartTable(
  { spec, format = "number", caption }: { spec: ChartSpec; format?: ValueFormat; caption: string },
) {
  const labels = spec.data.labels ?? spec.data.datasets[0]?.data.map((_, index) => String(index + 1)) ?? [];
  return (
    <details class="chart-table">
      <summary>Show the data as a table</summary>
      <div class="table-scroll">
        <table class="data-table">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                {spec.options && "indexLabel" in spec.options ? String(spec.options.indexLabel) : ""}
              </th>
              {spec.data.datasets.map((dataset, index) => (
                <th key={index} scope="col" class="num">{dataset.label ?? `Series ${index + 1}`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, row) => (
              <tr key={row}>
                <th scope="row">{spec.links?.[row] ? <a href={spec.links[row]!}>{label}</a> : label}</th>
                {spec.data.datasets.map((dataset, index) => {
                  const point = dataset.data[row];
                  const value = typeof point === "object" && point !== null ? point.y : point;
                  return <td key={index} class="num">{formatValue(value, format)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
