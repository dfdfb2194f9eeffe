import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { formatDateTime } from "../server/shared/format.ts";
import { Notice } from "../components/Notice.tsx";
import { useNoticeAction } from "./_notice_action.ts";

/** A silence as the router lists it (Dates intact). */
export type SilenceRow = RouterOutputs["notifications"]["silences"]["list"]["items"][number];

const labels = ["severity", "type", "category", "product", "rule"] as const;

/** Silences: active and scheduled ones, a form to add one (analysts and up), and "End now". */
export default function Silences(props: { silences: SilenceRow[]; canEdit: boolean }) {
  const [silences, setSilences] = useState(props.silences);
  const { busy, message, run, holding } = useNoticeAction();

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const hours = Number(data.get("hours"));
    const ok = await run(async () => {
      const silence = await browserClient().notifications.silences.create.mutate({
        matchers: [{
          label: String(data.get("label")) as (typeof labels)[number],
          op: "=",
          value: String(data.get("value")),
        }],
        endsAt: new Date(Date.now() + hours * 3_600_000),
        comment: String(data.get("comment")),
      });
      setSilences((all) => [...all, silence]);
      return `Silenced for ${hours} h`;
    });
    if (ok) form.reset();
  }

  function expire(silence: SilenceRow) {
    run(async () => {
      await browserClient().notifications.silences.expire.mutate({ id: silence.id });
      setSilences((all) => all.filter((s) => s.id !== silence.id));
      return "Silence ended";
    });
  }

  return (
    <div class="silences" data-live-hold={holding ? "" : undefined}>
      <div aria-live="polite">
        <Notice message={message} />
      </div>
      {silences.length === 0
        ? <p class="state state-empty">No active silences: every alert a policy routes is sent.</p>
        : (
          <table class="data-table" data-testid="silences">
            <thead>
              <tr>
                <th>Matchers</th>
                <th>From</th>
                <th>Until</th>
                <th>Comment</th>
                <th>By</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {silences.map((s) => (
                <tr key={s.id}>
                  <td>{s.matchers.map((m) => `${m.label}${m.op}${m.value}`).join(", ")}</td>
                  <td>{formatDateTime(s.startsAt)}</td>
                  <td>{formatDateTime(s.endsAt)}</td>
                  <td>{s.comment}</td>
                  <td>{s.createdBy}</td>
                  <td>
                    {props.canEdit && (
                      <button
                        type="button"
                        class="link"
                        disabled={busy}
                        onClick={() => expire(s)}
                      >
                        End now
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
          <summary class="button small">New silence</summary>
          <form class="rule-form" onSubmit={create} data-testid="silence-form">
            <label>
              Label{" "}
              <select name="label">
                {labels.map((label) => <option key={label} value={label}>{label}</option>)}
              </select>
            </label>
            <label>
              equals <input name="value" required maxLength={200} />
            </label>
            <label>
              for hours <input name="hours" type="number" min={1} max={720} value={4} required />
            </label>
            <label>
              Comment <input name="comment" required maxLength={500} placeholder="Black Friday" />
            </label>
            <button type="submit" class="button small" disabled={busy}>Silence</button>
          </form>
        </details>
      )}
    </div>
  );
}
