import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import { formatDate } from "../server/shared/format.ts";
import { Notice } from "../components/Notice.tsx";
import { useNoticeAction } from "./_notice_action.ts";
import type { CalendarEventSpan } from "../server/inventory/calendar_events.ts";

type CalendarEventRow = CalendarEventSpan;

/** A span of days in words: "24 Dec 2030", or "20 Dec 2030 – 27 Dec 2030". Days are calendar days, so UTC. */
function daysText(event: CalendarEventRow): string {
  const first = formatDate(`${event.startsOn}T00:00:00Z`, "UTC");
  return event.endsOn === event.startsOn
    ? first
    : `${first} – ${formatDate(`${event.endsOn}T00:00:00Z`, "UTC")}`;
}

/**
 * Promotions and closures: the upcoming events the forecasts adjust for (public holidays included,
 * marked as such), a form to add one and removal of the store's own (managers).
 */
export default function CalendarEvents(
  props: { events: CalendarEventRow[]; canEdit: boolean; today: string },
) {
  const [events, setEvents] = useState(props.events);
  const { busy, message, run, holding } = useNoticeAction();

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const ok = await run(async () => {
      const created = await browserClient().calendarEvents.create.mutate({
        kind: String(data.get("kind")) as "promotion" | "closure",
        name: String(data.get("name")),
        startsOn: String(data.get("startsOn")),
        endsOn: String(data.get("endsOn")),
        note: String(data.get("note") ?? ""),
      });
      setEvents((all) => [...all, created].sort((a, b) => a.startsOn.localeCompare(b.startsOn)));
      return `Added ${created.kind} ${created.name}`;
    });
    if (ok) form.reset();
  }

  function remove(row: CalendarEventRow) {
    run(async () => {
      await browserClient().calendarEvents.delete.mutate({ id: row.id });
      setEvents((all) => all.filter((e) => e.id !== row.id));
      return `Removed ${row.name}`;
    });
  }

  return (
    <div class="calendar-events" data-live-hold={holding ? "" : undefined}>
      <div aria-live="polite">
        <Notice message={message} />
      </div>
      {events.length === 0
        ? <p class="state state-empty">No promotions, closures or public holidays in the next 90 days.</p>
        : (
          <table class="data-table" data-testid="calendar-events">
            <thead>
              <tr>
                <th>Days</th>
                <th>Event</th>
                <th>Kind</th>
                <th>Note</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{daysText(e)}</td>
                  <td>{e.name}</td>
                  <td>
                    {e.kind === "holiday"
                      ? "Public holiday"
                      : e.kind === "promotion"
                      ? "Promotion"
                      : "Closure"}
                  </td>
                  <td>{e.note}</td>
                  <td>
                    {props.canEdit && e.source === "store" && (
                      <button
                        type="button"
                        class="link"
                        disabled={busy}
                        onClick={() => remove(e)}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {props.canEdit && (
        <details class="rule-form-wrap">
          <summary class="button small">Add a promotion or closure</summary>
          <form class="rule-form" onSubmit={create} data-testid="calendar-event-form">
            <label>
              Kind{" "}
              <select name="kind">
                <option value="promotion">Promotion</option>
                <option value="closure">Closure</option>
              </select>
            </label>
            <label>
              Name <input name="name" required maxLength={200} placeholder="Winter sale" />
            </label>
            <label>
              From <input name="startsOn" type="date" required min={props.today} />
            </label>
            <label>
              To (inclusive) <input name="endsOn" type="date" required min={props.today} />
            </label>
            <label>
              Note <input name="note" maxLength={500} />
            </label>
            <button type="submit" class="button small" disabled={busy}>Add</button>
          </form>
        </details>
      )}
    </div>
  );
}
