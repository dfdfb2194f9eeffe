import { useState } from "preact/hooks";
import { browserClient } from "../client/browser.ts";
import type { RouterOutputs } from "../client/mod.ts";
import { Notice } from "../components/Notice.tsx";
import { useNoticeAction } from "./_notice_action.ts";

/** A notification policy as the router lists it. */
export type PolicyRow = RouterOutputs["notifications"]["policies"]["list"]["items"][number];

const labels = ["severity", "type", "category", "product", "rule"] as const;
const dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function duration(seconds: number): string {
  return seconds % 3600 === 0 && seconds
    ? `${seconds / 3600} h`
    : seconds % 60 === 0
    ? `${seconds / 60} min`
    : `${seconds} s`;
}

type LabelName = (typeof labels)[number];

/**
 * The fields of a policy, empty for a new one or filled with the one being edited. The form edits one
 * `label = value` matcher and one daily mute window; a policy with more (made through the API) keeps
 * the rest of them (see `readPolicyForm`).
 */
function PolicyFields(
  { policy, contactPoints, position }: {
    policy?: PolicyRow;
    contactPoints: { id: number; name: string }[];
    position: number;
  },
) {
  const matcher = policy?.matchers[0];
  const mute = policy?.muteTimings[0];
  return (
    <>
      <label>
        Order{" "}
        <input
          name="position"
          type="number"
          min={0}
          max={10000}
          required
          defaultValue={policy?.position ?? position}
        />
      </label>
      <label>
        When{" "}
        <select name="label">
          {labels.map((label) => (
            <option key={label} value={label} selected={label === matcher?.label}>{label}</option>
          ))}
        </select>
      </label>
      <label>
        equals{" "}
        <input name="value" maxLength={200} defaultValue={matcher?.value} placeholder="empty: everything" />
      </label>
      <label>
        send to{" "}
        <select name="contactPointId">
          {contactPoints.map((p) => (
            <option key={p.id} value={p.id} selected={p.id === policy?.contactPointId}>{p.name}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Group by</legend>
        {labels.map((label) => (
          <label key={label}>
            <input
              type="checkbox"
              name="groupBy"
              value={label}
              defaultChecked={policy?.groupBy.includes(label)}
            />{" "}
            {label}
          </label>
        ))}
      </fieldset>
      <label>
        Group wait (seconds){" "}
        <input
          name="groupWait"
          type="number"
          min={0}
          max={86400}
          required
          defaultValue={policy?.groupWaitSeconds ?? 30}
        />
      </label>
      <label>
        Group interval (min){" "}
        <input
          name="groupInterval"
          type="number"
          min={0}
          max={1440}
          required
          defaultValue={policy ? policy.groupIntervalSeconds / 60 : 5}
        />
      </label>
      <label>
        Repeat every (h){" "}
        <input
          name="repeatInterval"
          type="number"
          min={1}
          max={168}
          required
          defaultValue={policy ? policy.repeatIntervalSeconds / 3600 : 4}
        />
      </label>
      <label>
        Mute daily from hour{" "}
        <input name="muteFrom" type="number" min={0} max={23} defaultValue={mute?.startHour} />
      </label>
      <label>
        to hour <input name="muteTo" type="number" min={0} max={24} defaultValue={mute?.endHour} />
      </label>
      <label>
        <input type="checkbox" name="continue" defaultChecked={policy?.continueMatching} />{" "}
        keep matching after this one
      </label>
      <label>
        <input type="checkbox" name="isDefault" defaultChecked={policy?.isDefault} /> default policy
      </label>
    </>
  );
}

/**
 * What a policy form asks the server for. Checked here first (a mute window needs both hours), then by
 * the server; an edited policy keeps matchers and mute windows the form does not show.
 */
function readPolicyForm(form: HTMLFormElement, policy?: PolicyRow) {
  const data = new FormData(form);
  const value = String(data.get("value") ?? "");
  const muteFrom = String(data.get("muteFrom") ?? "");
  const muteTo = String(data.get("muteTo") ?? "");
  if ((muteFrom === "") !== (muteTo === "")) throw new Error("A mute window needs both hours, or neither");
  if (muteFrom !== "" && muteFrom === muteTo) {
    throw new Error("A mute window cannot start and end at the same hour");
  }
  const firstMute = policy?.muteTimings[0];
  const keptMute = policy?.muteTimings.slice(firstMute ? 1 : 0) ?? [];
  return {
    position: Number(data.get("position")),
    matchers: [
      ...(value
        ? [{ label: String(data.get("label")) as LabelName, op: policy?.matchers[0]?.op ?? "=", value }]
        : []),
      ...(policy?.matchers.slice(1) ?? []),
    ] as { label: LabelName; op: "=" | "!=" | "=~" | "!~"; value: string }[],
    contactPointId: Number(data.get("contactPointId")),
    groupBy: data.getAll("groupBy").map(String) as LabelName[],
    groupWaitSeconds: Number(data.get("groupWait")),
    groupIntervalSeconds: Number(data.get("groupInterval")) * 60,
    repeatIntervalSeconds: Number(data.get("repeatInterval")) * 3600,
    continueMatching: data.get("continue") === "on",
    isDefault: data.get("isDefault") === "on",
    muteTimings: [
      ...(muteFrom !== "" && muteTo !== ""
        ? [{ days: firstMute?.days ?? [], startHour: Number(muteFrom), endHour: Number(muteTo) }]
        : []),
      ...keptMute,
    ],
  };
}

const inOrder = (all: PolicyRow[]) =>
  all.sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.position - b.position);

/** Notification policies in the order they are tried, the default last; managers add, edit and delete them. */
export default function NotificationPolicies(
  props: { policies: PolicyRow[]; contactPoints: { id: number; name: string }[]; canEdit: boolean },
) {
  const [policies, setPolicies] = useState(props.policies);
  const [editing, setEditing] = useState<number | null>(null);
  const { busy, message, run, holding } = useNoticeAction();
  const pointName = (id: number) => props.contactPoints.find((p) => p.id === id)?.name ?? `#${id}`;

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const ok = await run(async () => {
      const policy = await browserClient().notifications.policies.create.mutate(readPolicyForm(form));
      setPolicies((all) => inOrder([...all, policy]));
      return "Policy added";
    });
    if (ok) form.reset();
  }

  async function save(event: Event, policy: PolicyRow) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const ok = await run(async () => {
      const saved = await browserClient().notifications.policies.update.mutate({
        id: policy.id,
        ...readPolicyForm(form, policy),
      });
      setPolicies((all) => inOrder(all.map((p) => p.id === policy.id ? saved : p)));
      return "Policy saved";
    });
    if (ok) setEditing(null);
  }

  function remove(policy: PolicyRow) {
    run(async () => {
      await browserClient().notifications.policies.delete.mutate({ id: policy.id });
      setPolicies((all) => all.filter((p) => p.id !== policy.id));
      return "Policy deleted";
    });
  }

  return (
    <div class="notification-policies" data-live-hold={holding || editing !== null ? "" : undefined}>
      <div aria-live="polite">
        <Notice message={message} />
      </div>
      {policies.length === 0
        ? <p class="state state-empty">No policies: alerts are listed here but sent nowhere.</p>
        : (
          <table class="data-table" data-testid="policies">
            <thead>
              <tr>
                <th>#</th>
                <th>Matches</th>
                <th>Sends to</th>
                <th>Grouping</th>
                <th>Muted</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {policies.map((p) =>
                editing === p.id
                  ? (
                    <tr key={p.id}>
                      <td colSpan={6}>
                        <form
                          class="rule-form"
                          data-testid="policy-edit"
                          data-dirty
                          onSubmit={(event) => save(event, p)}
                        >
                          <PolicyFields
                            policy={p}
                            contactPoints={props.contactPoints}
                            position={p.position}
                          />
                          <button type="submit" class="button small" disabled={busy}>Save</button>
                          <button type="button" class="link" onClick={() => setEditing(null)}>Cancel</button>
                        </form>
                      </td>
                    </tr>
                  )
                  : (
                    <tr key={p.id}>
                      <td>{p.isDefault ? "default" : p.position}</td>
                      <td>
                        {p.isDefault
                          ? "anything else"
                          : p.matchers.map((m) => `${m.label}${m.op}${m.value}`).join(", ") ||
                            "everything"}
                        {p.continueMatching && " · continue"}
                      </td>
                      <td>{pointName(p.contactPointId)}</td>
                      <td class="muted">
                        by {p.groupBy.join(", ") || "—"} · wait {duration(p.groupWaitSeconds)} · interval{" "}
                        {duration(p.groupIntervalSeconds)} · repeat {duration(p.repeatIntervalSeconds)}
                      </td>
                      <td class="muted">
                        {p.muteTimings.map((t) =>
                          `${
                            t.days.length ? t.days.map((d) => dayNames[d]).join(",") + " " : ""
                          }${t.startHour}:00–${t.endHour}:00`
                        ).join("; ") || "—"}
                      </td>
                      <td>
                        {props.canEdit && (
                          <span class="rule-actions">
                            <button
                              type="button"
                              class="link"
                              disabled={busy}
                              onClick={() => setEditing(p.id)}
                            >
                              Edit
                            </button>
                            <button type="button" class="link" disabled={busy} onClick={() => remove(p)}>
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
      {props.canEdit && props.contactPoints.length === 0 && (
        // without this the tab showed "sent nowhere" and no way on: a policy needs somewhere to send to
        <p class="muted" data-testid="policy-needs-contact-point">
          To send alerts, add a contact point under Contact points first; a New policy button appears here
          then.
        </p>
      )}
      {props.canEdit && props.contactPoints.length > 0 && (
        <details class="rule-form-wrap">
          <summary class="button small">New policy</summary>
          <form class="rule-form" onSubmit={create} data-testid="policy-form">
            <PolicyFields contactPoints={props.contactPoints} position={policies.length} />
            <button type="submit" class="button small" disabled={busy}>Add</button>
          </form>
        </details>
      )}
    </div>
  );
}
