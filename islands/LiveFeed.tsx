import { useEffect, useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { formatCents, formatCount, formatTime } from "../server/shared/format.ts";

/**
 * One row of the recent-transactions feed: the fields a listed transaction (`transactions.list`, from the
 * page) and a live `transactions.onCreated` event share; the event's time arrives as text and is made a Date.
 */
export interface FeedRow {
  id: number;
  orderRef: string | null;
  status: string;
  totalCents: number;
  fraudDecision: string | null;
  /** made by the traffic simulator */
  simulated?: boolean;
  createdAt: Date;
}

/** The live figures at the top of the feed. */
export interface LiveFigures {
  revenueCents: number;
  orders: number;
  suspiciousToday: number;
  openAlerts: number;
}

export interface LiveFeedProps {
  figures: LiveFigures;
  /** newest first, as rendered on the server */
  recent: FeedRow[];
  /** rows kept on screen */
  limit: number;
}

/**
 * Today's sales, the alert badge and the newest transactions, pushed over the live socket: the
 * figures at most twice a second, each sale as it commits on any instance. After a reconnect the
 * subscription resumes after its last event, so no sale is missed or shown twice.
 */
export default function LiveFeed(props: LiveFeedProps) {
  const [figures, setFigures] = useState(props.figures);
  const [rows, setRows] = useState(props.recent);
  const [flash, setFlash] = useState<number | null>(null);

  useEffect(() => {
    const client = browserClient();
    const metrics = client.dashboard.onMetrics.subscribe(undefined, {
      onData({ data }) {
        setFigures({
          revenueCents: data.today.revenueCents,
          orders: data.today.orders,
          suspiciousToday: data.suspiciousToday,
          openAlerts: data.openAlerts,
        });
      },
    });
    const sales = client.transactions.onCreated.subscribe(undefined, {
      onData({ data }) {
        const row: FeedRow = {
          id: data.id,
          orderRef: data.orderRef,
          status: data.status,
          totalCents: data.totalCents,
          fraudDecision: data.fraudDecision,
          simulated: data.simulated,
          createdAt: new Date(data.createdAt),
        };
        setRows((current) => [row, ...current.filter((r) => r.id !== row.id)].slice(0, props.limit));
        setFlash(row.id);
      },
    });
    return () => {
      metrics.unsubscribe();
      sales.unsubscribe();
    };
  }, [props.limit]);

  return (
    <section class="live-feed" aria-label="Live sales">
      <dl class="live-figures">
        <div>
          <dt>Sales today</dt>
          <dd data-testid="live-revenue">{formatCents(figures.revenueCents)}</dd>
        </div>
        <div>
          <dt>Transactions today</dt>
          <dd data-testid="live-orders">{formatCount(figures.orders)}</dd>
        </div>
        <div>
          <dt>Suspicious today</dt>
          <dd data-testid="live-suspicious">{formatCount(figures.suspiciousToday)}</dd>
        </div>
        <div>
          <dt>Open alerts</dt>
          <dd>
            <span class={`badge${figures.openAlerts > 0 ? " badge-alert" : ""}`} data-testid="live-alerts">
              {formatCount(figures.openAlerts)}
            </span>
          </dd>
        </div>
      </dl>
      <h2>Recent transactions</h2>
      {rows.length === 0
        ? <p class="muted">No transactions yet.</p>
        : (
          <ol class="feed" data-testid="live-feed">
            {rows.map((row) => (
              <li
                key={row.id}
                data-transaction-id={row.id}
                class={`${row.id === flash ? "feed-new " : ""}${
                  row.fraudDecision && row.fraudDecision !== "allow" ? "feed-suspicious" : ""
                }`}
              >
                <a href={`/transactions/${row.id}`}>{row.orderRef ?? `#${row.id}`}</a>
                {row.simulated && (
                  <span class="badge badge-info" title="Made by the traffic simulator, not a customer">
                    sim
                  </span>
                )}
                <span class="feed-total">{formatCents(row.totalCents)}</span>
                <span class="muted">
                  {row.status}
                  {row.fraudDecision && row.fraudDecision !== "allow" ? ` · ${row.fraudDecision}` : ""}
                </span>
                <time class="muted" dateTime={row.createdAt.toISOString()}>
                  {formatTime(row.createdAt)}
                </time>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}
