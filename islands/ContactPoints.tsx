import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { useNoticeAction } from "./_notice_action.ts";

/** A contact point as the router lists it; the URL is already masked below manager. */
export type ContactPointRow = RouterOutputs["notifications"]["contactPoints"]["list"]["items"][number];

const kindLabels = [
  ["webhook", "Webhook (signed)"],
  ["slack", "Slack incoming webhook"],
  ["email", "Email"],
] as const;

/** The fields of a contact point, empty for a new one or filled with the one being edited. */
function ContactPointFields({ point }: { point?: ContactPointRow }) {
  return (
    <>
      <label>
        Name <input name="name" required maxLength={120} defaultValue={point?.name} />
      </label>
      <label>
        Kind{" "}
        <select name="kind">
          {kindLabels.map(([kind, label]) => (
            <option key={kind} value={kind} selected={kind === point?.kind}>{label}</option>
          ))}
        </select>
      </label>
      <label>
        URL (webhook, Slack){" "}
        <input
          name="url"
          type="url"
          maxLength={2000}
          defaultValue={point?.url ?? ""}
          placeholder="https://hooks.slack.com/services/…"
        />
      </label>
      <label>
        Signing secret (webhook, 16+ characters){" "}
        <input
          name="secret"
          minLength={16}
          maxLength={200}
          placeholder={point?.hasSecret ? "kept unless you type a new one" : ""}
        />
      </label>
      <label>
        Recipients (email){" "}
        <input
          name="recipients"
          defaultValue={point?.recipients.join(", ")}
          placeholder="ops@example.com, boss@example.com"
        />
      </label>
    </>
  );
}

/** What a contact point form asks the server for; a blank secret on an edit keeps the one stored. */
function readContactPointForm(form: HTMLFormElement, editing: boolean) {
  const data = new FormData(form);
  const kind = String(data.get("kind")) as ContactPointRow["kind"];
  const secret = String(data.get("secret") ?? "");
  return {
    name: String(data.get("name")),
    kind,
    url: kind === "email" ? null : String(data.get("url") ?? "") || null,
    secret: kind !== "webhook" ? null : secret ? secret : editing ? undefined : null,
    recipients: kind === "email" ? String(data.get("recipients")).split(/[,\s]+/).filter(Boolean) : [],
  };
}

/** Contact points: where notifications go. Managers add, edit, delete and send a test to each. */
export default function ContactPoints(props: { points: ContactPointRow[]; canEdit: boolean }) {
  const [points, setPoints] = useState(props.points);
  const [editing, setEditing] = useState<number | null>(null);
  const { busy, message, run, holding } = useNoticeAction();
  const sorted = (all: ContactPointRow[]) => all.sort((a, b) => a.name.localeCompare(b.name));

  function test(point: ContactPointRow) {
    run(async () => {
      const outcome = await browserClient().notifications.contactPoints.test.mutate({ id: point.id });
      if (!outcome.ok) throw new Error(`Test to “${point.name}” failed: ${outcome.error}`);
      return `Test sent to “${point.name}”`;
    });
  }

  function remove(point: ContactPointRow) {
    if (!globalThis.confirm?.(`Delete the contact point “${point.name}” and the policies using it?`)) return;
    run(async () => {
      await browserClient().notifications.contactPoints.delete.mutate({ id: point.id });
      setPoints((all) => all.filter((p) => p.id !== point.id));
      return `Deleted “${point.name}”`;
    });
  }

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const ok = await run(async () => {
      const input = readContactPointForm(form, false);
      const point = await browserClient().notifications.contactPoints.create.mutate({
        ...input,
        secret: input.secret ?? null,
      });
      setPoints((all) => sorted([...all, point]));
      return `Added “${point.name}”`;
    });
    if (ok) form.reset();
  }

  async function save(event: Event, id: number) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const ok = await run(async () => {
      const point = await browserClient().notifications.contactPoints.update.mutate({
        id,
        ...readContactPointForm(form, true),
      });
      setPoints((all) => sorted(all.map((p) => p.id === id ? point : p)));
      return `Saved “${point.name}”`;
    });
    if (ok) setEditing(null);
  }

  return (
    <div class="contact-points" data-live-hold={holding || editing !== null ? "" : undefined}>
      <div aria-live="polite">
        <Notice message={message} />
      </div>
      {points.length === 0
        ? (
          <p class="state state-empty">
            No contact points yet: add a webhook, a Slack hook or an email list.
          </p>
        )
        : (
          <table class="data-table" data-testid="contact-points">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Target</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) =>
                editing === point.id
                  ? (
                    <tr key={point.id}>
                      <td colSpan={4}>
                        <form
                          class="rule-form"
                          data-testid="contact-point-edit"
                          data-dirty
                          onSubmit={(event) => save(event, point.id)}
                        >
                          <ContactPointFields point={point} />
                          <button type="submit" class="button small" disabled={busy}>Save</button>
                          <button type="button" class="link" onClick={() => setEditing(null)}>Cancel</button>
                        </form>
                      </td>
                    </tr>
                  )
                  : (
                    <tr key={point.id}>
                      <td>{point.name}</td>
                      <td>{point.kind}</td>
                      <td class="muted">
                        {point.kind === "email" ? point.recipients.join(", ") : point.url}
                        {point.hasSecret && " · signed"}
                      </td>
                      <td>
                        {props.canEdit && (
                          <span class="rule-actions">
                            <button type="button" class="link" disabled={busy} onClick={() => test(point)}>
                              Send test
                            </button>
                            <button
                              type="button"
                              class="link"
                              disabled={busy}
                              onClick={() => setEditing(point.id)}
                            >
                              Edit
                            </button>
                            <button type="button" class="link" disabled={busy} onClick={() => remove(point)}>
                              Delete
                            </button>
                          </span>
                        )}
                      </td>
                    </tr>
                  )
              )}
            </tbody>
          </table>
        )}
      {props.canEdit && (
        <details class="rule-form-wrap">
          <summary class="button small">New contact point</summary>
          <form class="rule-form" onSubmit={create} data-testid="contact-point-form">
            <ContactPointFields />
            <button type="submit" class="button small" disabled={busy}>Add</button>
          </form>
        </details>
      )}
    </div>
  );
}
