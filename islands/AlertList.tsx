import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { AlertStatusBadge, SeverityBadge } from "../components/Badge.tsx";
import { alertTypeLabel } from "../components/alert_types.ts";
import { FormMessage } from "../components/Field.tsx";
import { serverErrorOf } from "../components/form_errors.ts";
import type { DeliveryRecord } from "../server/notifications/dispatch.ts";
import { formatDateTime } from "../server/shared/format.ts";
import { useFresh } from "./_notice_action.ts";

/** An alert as the router lists it (Dates intact: island props travel as superjson). */
export type AlertRow = RouterOutputs["alerts"]["list"]["items"][number];

export interface AlertListProps {
  alerts: AlertRow[];
  /** analysts acknowledge and snooze */
  canTriage: boolean;
  /** managers resolve and delete */
  canResolve: boolean;
}

type Mode = { id: number; action: "resolve" | "snooze" | "delete" | "history" } | null;

/** One notification an alert was part of, as `notifications.deliveries` reports it. */
type Delivery = DeliveryRecord;

/** A notification's state in words: sent, failed, retrying at, held by a mute timing until, ... */
export function deliveryState(d: Delivery): string {
  if (d.status === "pending" && d.heldUntil) {
    return `held by a mute timing until ${formatDateTime(d.heldUntil)}`;
  }
  if (d.status === "pending") return `waiting to be sent at ${formatDateTime(d.dueAt)}`;
  if (d.status === "retrying") return `failed, retrying at ${formatDateTime(d.dueAt)}`;
  if (d.status === "sending") return "sending";
  if (d.status === "sent") return `sent ${formatDateTime(d.finishedAt ?? d.createdAt)}`;
  if (d.status === "failed") return `failed for good ${formatDateTime(d.finishedAt ?? d.createdAt)}`;
  return `${d.status} ${formatDateTime(d.createdAt)}`;
}

/** Where an alert's notifications went and what became of them (the History row). */
function DeliveryHistory({ deliveries }: { deliveries: Delivery[] | null }) {
  if (deliveries === null) return <p class="muted">Loading…</p>;
  if (deliveries.length === 0) {
    return <p class="muted">Not sent anywhere: no notification policy routed it.</p>;
  }
  return (
    <table class="data-table" data-testid="alert-deliveries">
      <caption class="visually-hidden">Notifications of this alert, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Contact point</th>
          <th scope="col">What happened</th>
          <th scope="col" class="num">Attempts</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} data-status={d.status}>
            <td>
              {d.contactPoint} <span class="muted">({d.kind})</span>
            </td>
            <td>{deliveryState(d)}</td>
            <td class="num">{d.attempts}</td>
            <td class="muted">{d.lastError ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const snoozeChoices = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 120, label: "2 hours" },
  { minutes: 1440, label: "1 day" },
  { minutes: 10080, label: "1 week" },
];

/** Where an alert's subject lives in the UI, when it has one. */
function entityHref(alert: AlertRow): string | null {
  if (alert.entityId === null) return null;
  if (alert.entityType === "product") return `/inventory?product=${alert.entityId}#forecast`;
  if (alert.entityType === "transaction") return `/transactions/${alert.entityId}`;
  return null;
}

/** The alert list with its actions: acknowledge, snooze, resolve with a note, delete. */
export default function AlertList(props: AlertListProps) {
  const [alerts, setAlerts] = useState(props.alerts);
  const [mode, setMode] = useState<Mode>(null);
  const [busy, setBusy] = useState(false);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const fresh = useFresh(message);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      const text = await action();
      setMode(null);
      setMessage({ kind: "ok", text });
    } catch (error) {
      setMessage({ kind: "error", text: serverErrorOf(error).message });
    } finally {
      setBusy(false);
    }
  }

  const api = () => browserClient().alerts;
  const replace = (row: AlertRow) => setAlerts((all) => all.map((a) => a.id === row.id ? row : a));

  function acknowledge(alert: AlertRow) {
    run(async () => {
      replace(await api().acknowledge.mutate({ id: alert.id }));
      return `Acknowledged “${alert.title}”`;
    });
  }

  function submit(event: Event, alert: AlertRow) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    if (mode?.action === "resolve") {
      run(async () => {
        replace(await api().resolve.mutate({ id: alert.id, note: String(data.get("note") ?? "") }));
        return `Resolved “${alert.title}”`;
      });
    } else if (mode?.action === "snooze") {
      run(async () => {
        const minutes = Number(data.get("minutes"));
        replace(await api().snooze.mutate({ id: alert.id, minutes }));
        return `Snoozed “${alert.title}”`;
      });
    } else if (mode?.action === "delete") {
      run(async () => {
        await api().delete.mutate({ id: alert.id });
        setAlerts((all) => all.filter((a) => a.id !== alert.id));
        return `Deleted “${alert.title}”`;
      });
    }
  }

  function showHistory(alert: AlertRow) {
    if (mode?.id === alert.id && mode.action === "history") return setMode(null);
    setDeliveries(null);
    setMode({ id: alert.id, action: "history" });
    browserClient().notifications.deliveries.query({ id: alert.id })
      .then((result) => setDeliveries(result.items))
      .catch((error) => {
        setMode(null);
        setMessage({ kind: "error", text: serverErrorOf(error).message });
      });
  }

  return (
    <>
      <div aria-live="polite" class="panel-message">
        {message && <FormMessage kind={message.kind}>{message.text}</FormMessage>}
      </div>
      <div class="table-scroll" data-live-hold={mode !== null || busy || fresh ? "" : undefined}>
        <table class="data-table alert-table" data-testid="alerts">
          <caption class="visually-hidden">Alerts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Alert</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Actions</th>
            </tr>
          </thead>
          <tbody>
            {alerts.length === 0 && (
              <tr>
                <td colSpan={4}>
                  <div class="state state-empty">
                    <p class="state-title">No alerts match</p>
                    <p>Nothing needs attention with these filters.</p>
                  </div>
                </td>
              </tr>
            )}
            {alerts.map((alert) => {
              const open = mode?.id === alert.id ? mode.action : null;
              const href = entityHref(alert);
              const titleId = `alert-${alert.id}-title`;
              const active = alert.status !== "resolved";
              return (
                <Fragment key={alert.id}>
                  <tr data-alert-id={alert.id} class={`severity-row-${alert.severity}`}>
                    <td>
                      <SeverityBadge severity={alert.severity} />
                    </td>
                    <td class="alert-cell">
                      <strong id={titleId}>
                        {href ? <a href={href}>{alert.title}</a> : alert.title}
                      </strong>
                      {alert.message && <span class="muted">{alert.message}</span>}
                      {alert.resolutionNote && <span class="muted">Resolved: {alert.resolutionNote}</span>}
                      <span class="alert-meta">
                        {alertTypeLabel(alert.type)} · raised {formatDateTime(alert.createdAt)}
                      </span>
                    </td>
                    <td>
                      <AlertStatusBadge status={alert.status} />
                      {alert.status === "snoozed" && alert.snoozedUntil && (
                        <span class="muted">until {formatDateTime(alert.snoozedUntil)}</span>
                      )}
                    </td>
                    <td class="num">
                      <div class="row-actions">
                        <button
                          type="button"
                          class="small secondary"
                          onClick={() => showHistory(alert)}
                          aria-expanded={open === "history"}
                          aria-describedby={titleId}
                        >
                          History
                        </button>
                        {props.canTriage && alert.status === "open" && (
                          <button
                            type="button"
                            class="small secondary"
                            disabled={busy}
                            onClick={() => acknowledge(alert)}
                            aria-describedby={titleId}
                          >
                            Acknowledge
                          </button>
                        )}
                        {props.canTriage && active && (
                          <button
                            type="button"
                            class="small secondary"
                            onClick={() => setMode({ id: alert.id, action: "snooze" })}
                            aria-describedby={titleId}
                          >
                            Snooze
                          </button>
                        )}
                        {props.canResolve && active && (
                          <button
                            type="button"
                            class="small primary"
                            onClick={() => setMode({ id: alert.id, action: "resolve" })}
                            aria-describedby={titleId}
                          >
                            Resolve
                          </button>
                        )}
                        {props.canResolve && (
                          <button
                            type="button"
                            class="small danger"
                            onClick={() => setMode({ id: alert.id, action: "delete" })}
                            aria-describedby={titleId}
                          >
                            Delete
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                  {open === "history" && (
                    <tr class="action-row">
                      <td colSpan={4}>
                        <DeliveryHistory deliveries={deliveries} />
                      </td>
                    </tr>
                  )}
                  {open !== null && open !== "history" && (
                    <tr class="action-row">
                      <td colSpan={4}>
                        <form class="decision-form" onSubmit={(event) => submit(event, alert)}>
                          {open === "resolve" && (
                            <div class="field">
                              <label for={`resolve-note-${alert.id}`}>What was done? (note)</label>
                              <input
                                id={`resolve-note-${alert.id}`}
                                name="note"
                                maxLength={2000}
                                autoFocus
                              />
                            </div>
                          )}
                          {open === "snooze" && (
                            <div class="field">
                              <label for={`snooze-${alert.id}`}>Snooze for</label>
                              <select id={`snooze-${alert.id}`} name="minutes" autoFocus>
                                {snoozeChoices.map((choice) => (
                                  <option key={choice.minutes} value={choice.minutes}>{choice.label}</option>
                                ))}
                              </select>
                            </div>
                          )}
                          {open === "delete" && (
                            <p class="confirm-text">
                              Delete “{alert.title}” for good? Resolving keeps the record.
                            </p>
                          )}
                          <button
                            type="submit"
                            class={open === "delete" ? "small danger" : "small"}
                            disabled={busy}
                          >
                            {open === "resolve"
                              ? "Resolve alert"
                              : open === "snooze"
                              ? "Snooze alert"
                              : "Delete alert"}
                          </button>
                          <button
                            type="button"
                            class="small secondary"
                            onClick={() => setMode(null)}
                            disabled={busy}
                          >
                            Cancel
                          </button>
                        </form>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
