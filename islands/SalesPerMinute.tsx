import { useEffect, useMemo, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { formatCents, formatCount } from "../components/format.ts";
import { ChartCanvas, type ChartSpec, ChartTable } from "./_chart.tsx";
import { addSale, advanceWindow, type MinuteBucket } from "./_minutes.ts";

export interface SalesPerMinuteProps {
  /** the last 60 minutes, oldest first, as the server read them */
  minutes: MinuteBucket[];
  /** the store's time zone, for the minute labels */
  timeZone: string;
}

/**
 * Revenue per minute over the last hour, live: each completed sale lands in its minute as it
 * commits (on any instance), and the window slides on with the clock.
 */
export default function SalesPerMinute(props: SalesPerMinuteProps) {
  const [minutes, setMinutes] = useState(props.minutes);

  useEffect(() => {
    const subscription = browserClient().transactions.onCreated.subscribe(undefined, {
      onData({ data }) {
        setMinutes((current) => addSale(current, data));
      },
    });
    const clock = setInterval(() => setMinutes((current) => advanceWindow(current, new Date())), 15_000);
    return () => {
      subscription.unsubscribe();
      clearInterval(clock);
    };
  }, []);

  const label = useMemo(() => {
    const format = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: props.timeZone,
    });
    return (iso: string) => format.format(new Date(iso));
  }, [props.timeZone]);

  const spec: ChartSpec = {
    type: "bar",
    data: {
      labels: minutes.map((bucket) => label(bucket.minute)),
      datasets: [{
        label: "Revenue",
        data: minutes.map((bucket) => bucket.revenueCents),
        backgroundColor: "var(--chart-1)",
        borderRadius: 2,
        barPercentage: 0.9,
        categoryPercentage: 1,
      }],
    },
    options: { indexLabel: "Minute" },
  };
  const orders = minutes.reduce((sum, bucket) => sum + bucket.orders, 0);
  const revenue = minutes.reduce((sum, bucket) => sum + bucket.revenueCents, 0);
  return (
    <div>
      <p class="chart-summary" data-testid="last-hour">
        <strong>{formatCents(revenue)}</strong> from {formatCount(orders)}{" "}
        completed orders in the last 60 minutes
      </p>
      <ChartCanvas spec={spec} label="Revenue per minute over the last hour" format="cents" tall />
      <ChartTable spec={spec} format="cents" caption="Revenue per minute over the last hour" />
    </div>
  );
}
