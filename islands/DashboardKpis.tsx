import { useEffect, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { KpiCard } from "../components/KpiCard.tsx";
import { formatCents, formatCount } from "../server/shared/format.ts";

/** Sales figures of one period, as the dashboard API sends them. */
export interface SalesFigures {
  revenueCents: number;
  orders: number;
  customers: number;
  averageOrderCents: number;
}

/** Everything the seven cards show. */
export interface KpiFigures {
  today: SalesFigures;
  /** yesterday up to the same time of day */
  previous: SalesFigures;
  suspiciousToday: number;
  suspiciousPrevious: number;
  openAlerts: number;
  openAlertsPrevious: number;
  lowStock: number;
}

export interface DashboardKpisProps {
  figures: KpiFigures;
}

/**
 * The dashboard's seven headline figures, each against yesterday at the same time. Rendered on the
 * server, then pushed live over `dashboard.onMetrics` (at most twice a second); the previous-day
 * counts of suspicious transactions and alerts come from the page load, as the push does not carry them.
 */
export default function DashboardKpis({ figures: initial }: DashboardKpisProps) {
  const [figures, setFigures] = useState(initial);

  useEffect(() => {
    const subscription = browserClient().dashboard.onMetrics.subscribe(undefined, {
      onData({ data }) {
        setFigures((current) => ({
          ...current,
          today: pick(data.today),
          previous: pick(data.previous),
          suspiciousToday: data.suspiciousToday,
          openAlerts: data.openAlerts,
          lowStock: data.lowStock,
        }));
      },
    });
    return () => subscription.unsubscribe();
  }, []);

  const { today, previous } = figures;
  const versus = "vs yesterday";
  return (
    <dl class="kpis" aria-label="Today at a glance">
      <KpiCard
        label="Sales today"
        value={formatCents(today.revenueCents)}
        current={today.revenueCents}
        previous={previous.revenueCents}
        versus={versus}
      />
      <KpiCard
        label="Transactions"
        value={formatCount(today.orders)}
        current={today.orders}
        previous={previous.orders}
        versus={versus}
        href="/transactions"
      />
      <KpiCard
        label="Unique customers"
        value={formatCount(today.customers)}
        current={today.customers}
        previous={previous.customers}
        versus={versus}
      />
      <KpiCard
        label="Average order"
        value={formatCents(today.averageOrderCents)}
        current={today.averageOrderCents}
        previous={previous.averageOrderCents}
        versus={versus}
      />
      <KpiCard
        label="Open alerts"
        value={formatCount(figures.openAlerts)}
        current={figures.openAlerts}
        previous={figures.openAlertsPrevious}
        higherIsWorse
        versus={versus}
        href="/alerts"
      />
      <KpiCard
        label="Low-stock items"
        value={formatCount(figures.lowStock)}
        current={figures.lowStock}
        previous={null}
        note="will run short at the forecast rate"
        href="/inventory"
      />
      <KpiCard
        label="Suspicious"
        value={formatCount(figures.suspiciousToday)}
        current={figures.suspiciousToday}
        previous={figures.suspiciousPrevious}
        higherIsWorse
        versus={versus}
        href="/transactions?suspicious=true"
      />
    </dl>
  );
}

function pick(figures: SalesFigures): SalesFigures {
  return {
    revenueCents: figures.revenueCents,
    orders: figures.orders,
    customers: figures.customers,
    averageOrderCents: figures.averageOrderCents,
  };
}
