import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { formatDateTime } from "../server/shared/format.ts";
import { useNoticeAction } from "./_notice_action.ts";

type Period = "daily" | "weekly";

type Subscriptions = RouterOutputs["notifications"]["reportSubscriptions"];
/** The caller's own subscriptions, as the router lists them. */
export type MySubscriptionRow = Subscriptions["list"]["items"][number];
/** Everyone's subscriptions (managers), ended ones included, with each one's last email. */
export type SubscriptionOverviewRow = Subscriptions["all"]["items"][number];
/** One of the caller's report emails: sent (`sentAt`) or not (`createdAt` is when it was tried). */
export type ReportDeliveryHistoryRow = Subscriptions["deliveries"]["items"][number];

const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;

/**
 * Report subscriptions: the caller's own daily and weekly sales report emails (subscribe, change the
 * address or hour, unsubscribe) and their last emails; for managers, everyone's, ended ones included.
 */
export default function ReportSubscriptions(props: {
  mine: MySubscriptionRow[];
  history: ReportDeliveryHistoryRow[];
  everyone: SubscriptionOverviewRow[] | null;
}) {
  const [mine, setMine] = useState(props.mine);
  const [everyone, setEveryone] = useState(props.everyone);
  const { busy, message, run, holding } = useNoticeAction();
  const api = () => browserClient().notifications.reportSubscriptions;

  async function subscribe(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const ok = await run(async () => {
      const row = await api().subscribe.mutate({
        period: String(data.get("period")) as Period,
        email: String(data.get("email")),
        sendHour: Number(data.get("sendHour")),
      });
      setMine((all) => [...all.filter((s) => s.period !== row.period), row]);
      return `Subscribed ${row.email} to the ${row.period} report at ${hour(row.sendHour)}`;
    });
    if (ok) form.reset();
  }

  function end(id: number, label: string) {
    run(async () => {
      await api().unsubscribe.mutate({ id });
      setMine((all) => all.filter((s) => s.id !== id));
      const now = new Date();
      setEveryone((all) => all && all.map((s) => s.id === id ? { ...s, unsubscribedAt: now } : s));
      return `Unsubscribed ${label}`;
    });
  }

  return (
    <div class="report-subscriptions" data-live-hold={holding ? "" : undefined}>
      <div aria-live="polite">
        <Notice message={message} />
      </div>
      <h3>My report emails</h3>
      {mine.length === 0
        ? (
          <p class="state state-empty">
            You get no report emails. To get one, choose a report, an address and an hour below, then
            Subscribe.
          </p>
        )
        : (
          <table class="data-table" data-testid="my-subscriptions">
            <thead>
              <tr>
                <th>Report</th>
                <th>To</th>
                <th>At (store time)</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {mine.map((s) => (
                <tr key={s.id}>
                  <td>{s.period}</td>
                  <td>{s.email}</td>
                  <td>{hour(s.sendHour)}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      disabled={busy}
                      onClick={() => end(s.id, `from the ${s.period} report`)}
                    >
                      Unsubscribe
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <form class="rule-form" onSubmit={subscribe} data-testid="subscribe-form">
        <label>
          Report{" "}
          <select name="period">
            <option value="daily">Daily sales</option>
            <option value="weekly">Weekly sales</option>
          </select>
        </label>
        <label>
          Email <input name="email" type="email" required maxLength={254} />
        </label>
        <label>
          Send at hour (store time, 0–23){" "}
          <input name="sendHour" type="number" min={0} max={23} defaultValue={7} required />
        </label>
        <button type="submit" class="button small" disabled={busy}>Subscribe</button>
      </form>
      {props.history.length > 0 && (
        <>
          <h3>My last report emails</h3>
          <table class="data-table" data-testid="my-report-emails">
            <thead>
              <tr>
                <th>Report</th>
                <th>For</th>
                <th>Status</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((d) => (
                <tr key={`${d.period}-${d.periodKey}`}>
                  <td>{d.period}</td>
                  <td>{d.periodKey}</td>
                  <td>{d.status}{d.error && <span class="muted">{d.error}</span>}</td>
                  <td>{formatDateTime(d.sentAt ?? d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {everyone && (
        <>
          <h3>Everyone's report emails</h3>
          {everyone.length === 0
            ? <p class="state state-empty">Nobody is subscribed.</p>
            : (
              <table class="data-table" data-testid="all-subscriptions">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Report</th>
                    <th>To</th>
                    <th>At</th>
                    <th>State</th>
                    <th>Last email</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {everyone.map((s) => (
                    <tr key={s.id}>
                      <td>{s.username}</td>
                      <td>{s.period}</td>
                      <td>{s.email}</td>
                      <td>{hour(s.sendHour)}</td>
                      <td>
                        {s.unsubscribedAt ? `unsubscribed ${formatDateTime(s.unsubscribedAt)}` : "active"}
                      </td>
                      <td class="muted">
                        {s.lastDelivery
                          ? `${s.lastDelivery.periodKey} · ${s.lastDelivery.status} · ${
                            formatDateTime(s.lastDelivery.at)
                          }`
                          : "—"}
                      </td>
                      <td>
                        {!s.unsubscribedAt && (
                          <button
                            type="button"
                            class="link"
                            disabled={busy}
                            onClick={() => end(s.id, `${s.username} from the ${s.period} report`)}
                          >
                            End
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
        </>
      )}
    </div>
  );
}
