import { useEffect, useMemo, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { currentStoreFormat, formatCents, formatCount } from "../server/shared/format.ts";
import { transactionsHref } from "../components/drill_through.ts";
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
    const format = new Intl.DateTimeFormat(currentStoreFormat().settings.locale, {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: props.timeZone,
    });
    return (minute: Date) => format.format(minute);
  }, [props.timeZone]);

  const spec: ChartSpec = {
    type: "bar",
    // a minute's bar opens the transactions of that minute
    links: minutes.map((bucket) => {
      const since = bucket.minute;
      return transactionsHref({ since, until: new Date(since.getTime() + 60_000) });
    }),
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
