import { useEffect, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { KpiCard } from "../components/KpiCard.tsx";
import { formatCents, formatCount } from "../components/format.ts";

interface Figures {
  revenueCents: number;
  orders: number;
  customers: number;
  averageOrderCents: number;
}

export interface OverviewCardsProps {
  today: Figures;
  previous: Figures;
  /** ISO time the figures were computed */
  asOf: string;
  /** seconds between refreshes in the browser */
  refreshSeconds: number;
}

/** Headline KPIs: rendered on the server, then kept fresh through the tRPC client. */
export default function OverviewCards(props: OverviewCardsProps) {
  const [figures, setFigures] = useState({ today: props.today, previous: props.previous, asOf: props.asOf });
  const [state, setState] = useState<"server" | "live" | "error">("server");

  useEffect(() => {
    let cancelled = false;
    async function refresh() {
      try {
        const overview = await browserClient().dashboard.overview.query();
        if (cancelled) return;
        setFigures({ today: overview.today, previous: overview.previous, asOf: overview.asOf.toISOString() });
        setState("live");
      } catch {
        if (!cancelled) setState("error");
      }
    }
    refresh();
    const timer = setInterval(refresh, props.refreshSeconds * 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [props.refreshSeconds]);

  const { today, previous } = figures;
  return (
    <section aria-label="Today at a glance" data-state={state}>
      <dl class="kpis">
        <KpiCard
          label="Sales"
          value={formatCents(today.revenueCents)}
          current={today.revenueCents}
          previous={previous.revenueCents}
        />
        <KpiCard
          label="Transactions"
          value={formatCount(today.orders)}
          current={today.orders}
          previous={previous.orders}
        />
        <KpiCard
          label="Customers"
          value={formatCount(today.customers)}
          current={today.customers}
          previous={previous.customers}
        />
        <KpiCard
          label="Average order"
          value={formatCents(today.averageOrderCents)}
          current={today.averageOrderCents}
          previous={previous.averageOrderCents}
        />
      </dl>
      <p class="muted" aria-live="polite">
        {state === "error"
          ? "Could not refresh; showing the last figures"
          : `As of ${new Date(figures.asOf).toLocaleTimeString("en-GB")}`}
      </p>
    </section>
  );
}
